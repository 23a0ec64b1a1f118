package org.unmask.models.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Streams tensors into a new {@code .safetensors} file without holding them all in memory.
 *
 * <p>The caller declares every tensor (name, dtype, shape) up front; the header, with offsets computed from the
 * declared shapes, is written first, then each tensor's bytes in declaration order. Data goes to a temporary file in
 * the target's folder; {@link #commit()} flushes it to disk and atomically moves it onto the target. Closing without
 * committing deletes the temporary file, so a failed run never leaves a half-written checkpoint behind.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_FLOATS = 1 << 20;

    /** One declared tensor. */
    public record TensorSpec(String name, DType dtype, long[] shape) {
        public TensorSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            if (name.equals("__metadata__") || name.isEmpty()) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
                }
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Bytes the tensor occupies. */
        public long byteLength() {
            long n = dtype.byteSize();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorSpec t
                    && name.equals(t.name)
                    && dtype == t.dtype
                    && Arrays.equals(shape, t.shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape));
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape);
        }
    }

    /** The committed file: path, total size in bytes, and lowercase hex SHA-256 of its content. */
    public record Written(Path path, long size, String sha256) {}

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final List<TensorSpec> specs;
    private final MessageDigest sha256;
    private int next;
    private long written;
    /** Bytes of tensor {@code next} written so far by {@link #writePart}. */
    private long partial;

    private boolean committed;

    private SafetensorsWriter(Path target, Path temp, FileChannel channel, List<TensorSpec> specs) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.specs = specs;
        this.sha256 = newSha256();
    }

    /**
     * Starts a file at {@code target} holding exactly {@code tensors} (in this order) and {@code metadata}
     * ({@code {"format":"pt"}} is added when no {@code format} key is given).
     */
    public static SafetensorsWriter create(Path target, List<TensorSpec> tensors, Map<String, String> metadata)
            throws IOException {
        List<TensorSpec> specs = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (TensorSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("tensor '" + spec.name() + "' declared twice");
            }
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            SafetensorsWriter writer = new SafetensorsWriter(target, temp, channel, specs);
            writer.writeFully(ByteBuffer.wrap(header(specs, metadata)));
            return writer;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** The serialized header: u64 LE length, then the JSON padded with spaces to a multiple of 8 bytes. */
    static byte[] header(List<TensorSpec> specs, Map<String, String> metadata) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putIfAbsent("format", "pt");
        root.put("__metadata__", meta);
        long offset = 0;
        for (TensorSpec spec : specs) {
            long end = offset + spec.byteLength();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", spec.dtype().name());
            entry.put("shape", spec.shape());
            entry.put("data_offsets", new long[] {offset, end});
            root.put(spec.name(), entry);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    /** Name of the tensor expected next, or null when all have been written. */
    public String nextName() {
        return next < specs.size() ? specs.get(next).name() : null;
    }

    /** Writes the next declared tensor; {@code littleEndianBytes} must hold exactly its bytes (position..limit). */
    public void write(String name, ByteBuffer littleEndianBytes) throws IOException {
        TensorSpec spec = expect(name);
        if (littleEndianBytes.remaining() != spec.byteLength()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + spec.byteLength() + " bytes, got "
                    + littleEndianBytes.remaining());
        }
        writeFully(littleEndianBytes.duplicate());
        next++;
    }

    /**
     * Writes the next bytes (position..limit) of the next declared tensor, which may thus arrive in pieces of any
     * size (a multi-gigabyte checkpoint through one small buffer); the tensor is done when all its bytes are in.
     */
    public void writePart(String name, ByteBuffer littleEndianBytes) throws IOException {
        TensorSpec spec = expect(name);
        if (partial + littleEndianBytes.remaining() > spec.byteLength()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + spec.byteLength() + " bytes, got "
                    + (partial + littleEndianBytes.remaining()));
        }
        partial += littleEndianBytes.remaining();
        writeFully(littleEndianBytes.duplicate());
        if (partial == spec.byteLength()) {
            partial = 0;
            next++;
        }
    }

    /** Writes the next declared tensor, which must be F32, from {@code values} in row-major order. */
    public void writeFloats(String name, float[] values) throws IOException {
        TensorSpec spec = expect(name);
        if (spec.dtype() != DType.F32 || (long) values.length * 4 != spec.byteLength()) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' is " + spec + ", got " + values.length + " floats");
        }
        ByteBuffer chunk =
                ByteBuffer.allocate(4 * Math.min(CHUNK_FLOATS, values.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(values, start, n);
            chunk.limit(4 * n);
            writeFully(chunk);
        }
        next++;
    }

    /** Flushes, closes and atomically moves the file into place; every declared tensor must have been written. */
    public Written commit() throws IOException {
        if (next != specs.size()) {
            throw new IllegalStateException("cannot commit " + target + ": tensor '" + nextName() + "' and "
                    + (specs.size() - next - 1) + " more were not written");
        }
        channel.force(true);
        channel.close();
        try {
            makeWorldReadable(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        committed = true;
        return new Written(target, written, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Abandons the file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(temp);
        }
    }

    /** Temp files are created owner-only; a committed checkpoint gets the usual rw-r--r-- where POSIX applies. */
    static void makeWorldReadable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private TensorSpec expect(String name) {
        if (next >= specs.size()) {
            throw new IllegalStateException("all declared tensors were written; '" + name + "' is extra");
        }
        TensorSpec spec = specs.get(next);
        if (!spec.name().equals(name)) {
            throw new IllegalStateException(
                    "tensors must be written in declaration order: expected '" + spec.name() + "', got '" + name + "'");
        }
        return spec;
    }

    private void writeFully(ByteBuffer data) throws IOException {
        sha256.update(data.duplicate());
        while (data.hasRemaining()) {
            written += channel.write(data);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
