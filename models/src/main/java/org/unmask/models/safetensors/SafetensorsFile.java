package org.unmask.models.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.ModelException;

/**
 * One {@code .safetensors} file, opened read-only with a fully validated header and memory-mapped tensor data.
 *
 * <p>Layout: u64 little-endian header length {@code N}, {@code N} bytes of JSON mapping each tensor name to
 * {@code dtype}, {@code shape} and {@code data_offsets [begin, end)} relative to the data region that follows,
 * plus an optional {@code __metadata__} string map. {@link #open} checks every rule (sane length, valid JSON, known
 * dtypes, sizes equal to {@code product(shape) * dtypeSize}, offsets inside the data region, no overlaps) and reports
 * the first violation as a one-line {@link ModelException} naming the file and the tensor or field.
 *
 * <p>Tensors are mapped on demand, one mapping per tensor (or per window of at most 1 GiB when decoding), so files
 * larger than 2 GiB work. Thread-safe once opened.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Upper bound for the JSON header, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    static final String CORRUPT_HINT = "the file is truncated or corrupt; delete it and re-download/re-convert it";
    private static final long WINDOW_BYTES = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates {@code path}; the caller must {@link #close()} it. */
    public static SafetensorsFile open(Path path) throws ModelException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelException("safetensors file not found: " + path, "check the model folder");
        } catch (IOException e) {
            throw new ModelException(
                    "cannot open safetensors file " + path + ": " + e.getMessage(),
                    "check that the file exists and is readable");
        }
        try {
            HeaderParser parser = new HeaderParser(path, channel);
            return new SafetensorsFile(path, channel, parser.tensors(), parser.metadata());
        } catch (ModelException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** All tensors by name, in data-offset order (unmodifiable). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor called {@code name}, if present. */
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor called {@code name}; a missing name is a {@link ModelException}. */
    public TensorInfo tensor(String name) throws ModelException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelException(
                    path + " has no tensor named '" + name + "'",
                    "the checkpoint does not match the expected architecture; check the model folder");
        }
        return info;
    }

    /**
     * A read-only, little-endian, zero-copy view of the tensor's bytes (position 0, limit = byte length).
     * Tensors of 2 GiB or more cannot be viewed as one buffer; use {@link #readFloats} for those.
     */
    public ByteBuffer buffer(String name) throws ModelException {
        TensorInfo info = tensor(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new ModelException(
                    path + ": tensor '" + name + "' has " + info.byteLength() + " bytes, too large for one buffer",
                    "read it with readFloats instead");
        }
        return map(info, info.offset(), info.byteLength());
    }

    /** The tensor's elements as floats; F16, BF16 and F64 are converted, integer types are rejected. */
    public float[] readFloats(String name) throws ModelException {
        return readFloats(name, WINDOW_BYTES);
    }

    /** {@link #readFloats(String)} mapping at most {@code maxWindowBytes} at a time (small in tests). */
    float[] readFloats(String name, long maxWindowBytes) throws ModelException {
        TensorInfo info = tensor(name);
        if (!info.dtype().isFloatingPoint()) {
            throw new ModelException(
                    path + ": tensor '" + name + "' has dtype " + info.dtype() + ", not a floating-point type",
                    "read it with readLongs");
        }
        float[] out = new float[checkedElementCount(info)];
        int done = 0;
        int size = info.dtype().byteSize();
        long windowBytes = Math.max(size, maxWindowBytes / size * size);
        for (long start = 0; start < info.byteLength(); start += windowBytes) {
            long length = Math.min(windowBytes, info.byteLength() - start);
            ByteBuffer window = map(info, info.offset() + start, length);
            done += decodeFloats(info.dtype(), window, out, done);
        }
        return out;
    }

    /**
     * Reads the tensor's bytes from {@code from} (relative to its first byte) into {@code dst} until {@code dst} is
     * full or the tensor ends, with plain reads rather than a mapping, so the bytes read do not stay in this
     * process's resident set (streaming a large checkpoint into another format). Returns the bytes read.
     */
    public int read(String name, long from, ByteBuffer dst) throws ModelException {
        TensorInfo info = tensor(name);
        int want = (int) Math.min(dst.remaining(), info.byteLength() - from);
        int done = 0;
        try {
            while (done < want) {
                ByteBuffer slice = dst.slice(dst.position() + done, want - done);
                int n = channel.read(slice, info.offset() + from + done);
                if (n < 0) {
                    throw new ModelException(path + ": tensor '" + name + "' ends early", CORRUPT_HINT);
                }
                done += n;
            }
        } catch (IOException e) {
            throw new ModelException(
                    "cannot read tensor '" + name + "' of " + path + ": " + e.getMessage(), CORRUPT_HINT, e);
        }
        dst.position(dst.position() + done);
        return done;
    }

    /** The tensor's elements as longs; only I64 and I32 are accepted. */
    public long[] readLongs(String name) throws ModelException {
        TensorInfo info = tensor(name);
        if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
            throw new ModelException(
                    path + ": tensor '" + name + "' has dtype " + info.dtype() + ", not an integer type",
                    "read it with readFloats");
        }
        long[] out = new long[checkedElementCount(info)];
        ByteBuffer data = buffer(name);
        for (int i = 0; i < out.length; i++) {
            out[i] = info.dtype() == DType.I64 ? data.getLong() : data.getInt();
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private int checkedElementCount(TensorInfo info) throws ModelException {
        if (info.numel() > Integer.MAX_VALUE - 8) {
            throw new ModelException(
                    path + ": tensor '" + info.name() + "' has " + info.numel()
                            + " elements, more than a Java array holds",
                    "this tensor cannot be read into one array");
        }
        return (int) info.numel();
    }

    private ByteBuffer map(TensorInfo info, long position, long length) throws ModelException {
        try {
            if (length == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelException(
                    "cannot map tensor '" + info.name() + "' of " + path + ": " + e.getMessage(), CORRUPT_HINT, e);
        }
    }

    private static int decodeFloats(DType dtype, ByteBuffer src, float[] out, int at) {
        int n = src.remaining() / dtype.byteSize();
        switch (dtype) {
            case F32 -> src.asFloatBuffer().get(out, at, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = (float) src.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = HalfPrecision.f16ToFloat(src.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = HalfPrecision.bf16ToFloat(src.getShort());
                }
            }
            default -> throw new IllegalArgumentException("not a float type: " + dtype);
        }
        return n;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing is lost when close fails
        }
    }

    /** Reads and validates the header of one file. */
    private static final class HeaderParser {
        private final Path path;
        private final Map<String, TensorInfo> tensors;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        HeaderParser(Path path, FileChannel channel) throws ModelException {
            this.path = path;
            long fileSize = size(channel);
            if (fileSize < 8) {
                throw corrupt("file has only " + fileSize + " bytes, too short for a safetensors header");
            }
            long headerLength = read(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw corrupt("header length " + Long.toUnsignedString(headerLength) + " is not plausible (expected 2.."
                        + MAX_HEADER_BYTES + ")");
            }
            if (8 + headerLength > fileSize) {
                throw corrupt(
                        "header length " + headerLength + " runs past the end of the file (" + fileSize + " bytes)");
            }
            ByteBuffer raw = read(channel, 8, (int) headerLength);
            long dataStart = 8 + headerLength;
            this.tensors = parse(raw, dataStart, fileSize - dataStart);
        }

        Map<String, TensorInfo> tensors() {
            return tensors;
        }

        Map<String, String> metadata() {
            return Collections.unmodifiableMap(metadata);
        }

        private Map<String, TensorInfo> parse(ByteBuffer raw, long dataStart, long dataLength) throws ModelException {
            String text = StandardCharsets.UTF_8.decode(raw).toString();
            // writers pad with spaces (spec); some pad with NULs, which JSON does not allow
            text = text.replaceAll("\\u0000+$", "");
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw corrupt("header is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (root == null || !root.isObject()) {
                throw corrupt("header is not a JSON object");
            }
            List<TensorInfo> list = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = root.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("__metadata__")) {
                    readMetadata(field.getValue());
                } else {
                    list.add(readTensor(field.getKey(), field.getValue(), dataStart, dataLength));
                }
            }
            list.sort(Comparator.comparingLong(TensorInfo::offset).thenComparingLong(TensorInfo::byteLength));
            checkNoOverlap(list);
            Map<String, TensorInfo> byName = new LinkedHashMap<>();
            for (TensorInfo info : list) {
                byName.put(info.name(), info);
            }
            return Collections.unmodifiableMap(byName);
        }

        private void readMetadata(JsonNode node) throws ModelException {
            if (!node.isObject()) {
                throw corrupt("field '__metadata__' is not a JSON object");
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw corrupt("__metadata__." + e.getKey() + " is not a string");
                }
                metadata.put(e.getKey(), e.getValue().asText());
            }
        }

        private TensorInfo readTensor(String name, JsonNode node, long dataStart, long dataLength)
                throws ModelException {
            if (!node.isObject()) {
                throw corrupt("tensor '" + name + "': entry is not a JSON object");
            }
            JsonNode dtypeNode = node.get("dtype");
            if (dtypeNode == null || !dtypeNode.isTextual()) {
                throw corrupt("tensor '" + name + "': field 'dtype' is missing or not a string");
            }
            DType dtype = DType.fromHeaderName(dtypeNode.asText())
                    .orElseThrow(
                            () -> new ModelException(
                                    path + ": tensor '" + name + "' has unsupported dtype '" + dtypeNode.asText() + "'",
                                    "Unmask reads F32, F16, BF16, F64, I64 and I32 tensors; convert the checkpoint to one of these"));
            long[] shape = longArray(name, "shape", node.get("shape"), -1);
            long[] offsets = longArray(name, "data_offsets", node.get("data_offsets"), 2);
            long begin = offsets[0];
            long end = offsets[1];
            if (begin > end) {
                throw corrupt("tensor '" + name + "': data_offsets [" + begin + "," + end + "] end before they begin");
            }
            if (end > dataLength) {
                throw corrupt("tensor '" + name + "': data_offsets [" + begin + "," + end
                        + "] run past the end of the data region (" + dataLength + " bytes)");
            }
            long expected = expectedBytes(name, dtype, shape);
            if (end - begin != expected) {
                throw corrupt("tensor '" + name + "': data_offsets cover " + (end - begin) + " bytes but " + dtype + " "
                        + Arrays.toString(shape) + " needs " + expected);
            }
            return new TensorInfo(name, dtype, shape, dataStart + begin, end - begin);
        }

        private long expectedBytes(String name, DType dtype, long[] shape) throws ModelException {
            try {
                long n = dtype.byteSize();
                for (long d : shape) {
                    n = Math.multiplyExact(n, d);
                }
                return n;
            } catch (ArithmeticException e) {
                throw corrupt("tensor '" + name + "': shape " + Arrays.toString(shape) + " overflows");
            }
        }

        private long[] longArray(String name, String field, JsonNode node, int requiredLength) throws ModelException {
            if (node == null || !node.isArray()) {
                throw corrupt("tensor '" + name + "': field '" + field + "' is missing or not an array");
            }
            if (requiredLength >= 0 && node.size() != requiredLength) {
                throw corrupt("tensor '" + name + "': field '" + field + "' has " + node.size() + " elements, expected "
                        + requiredLength);
            }
            long[] values = new long[node.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode v = node.get(i);
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                    throw corrupt("tensor '" + name + "': " + field + "[" + i + "] = " + v
                            + " is not a non-negative integer");
                }
                values[i] = v.asLong();
            }
            return values;
        }

        private void checkNoOverlap(List<TensorInfo> sorted) throws ModelException {
            TensorInfo previous = null;
            for (TensorInfo info : sorted) {
                if (previous != null
                        && info.byteLength() > 0
                        && info.offset() < previous.offset() + previous.byteLength()) {
                    throw corrupt("tensors '" + previous.name() + "' and '" + info.name() + "' overlap in the data");
                }
                if (info.byteLength() > 0) {
                    previous = info;
                }
            }
        }

        private ModelException corrupt(String detail) {
            return new ModelException(path + ": " + detail, CORRUPT_HINT);
        }

        private long size(FileChannel channel) throws ModelException {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new ModelException("cannot read " + path + ": " + e.getMessage(), CORRUPT_HINT, e);
            }
        }

        private ByteBuffer read(FileChannel channel, long position, int length) throws ModelException {
            ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            try {
                while (buf.hasRemaining()) {
                    if (channel.read(buf, position + buf.position()) < 0) {
                        throw corrupt("unexpected end of file while reading the header");
                    }
                }
            } catch (IOException e) {
                throw new ModelException("cannot read " + path + ": " + e.getMessage(), CORRUPT_HINT, e);
            }
            return buf.flip();
        }
    }
}
