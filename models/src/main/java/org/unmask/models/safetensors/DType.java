package org.unmask.models.safetensors;

import java.util.Optional;

/** Element types of safetensors tensors that Unmask can read; the names are those used in the file header. */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@code SafetensorsFile.readFloats} can decode this type. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The type named {@code headerName} (exact, case-sensitive as in the safetensors spec), if supported. */
    public static Optional<DType> fromHeaderName(String headerName) {
        for (DType type : values()) {
            if (type.name().equals(headerName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
