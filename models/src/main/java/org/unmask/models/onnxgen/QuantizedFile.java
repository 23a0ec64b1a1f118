package org.unmask.models.onnxgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.DType;

/**
 * The quantised matrices of a generated graph as one file beside its {@code model.onnx}, which the graph names as the
 * external data of those initializers: built once from the checkpoint (blob, then scales, of each matrix in
 * declaration order, each at a multiple of {@link #ALIGN}), then read by ONNX Runtime itself. ONNX Runtime maps the
 * file, packs every matrix for its kernel and releases the initializer once all its users have packed it, so the
 * process keeps one int8 copy (ONNX Runtime's) instead of Unmask's and ONNX Runtime's side by side, and the file's
 * pages are the kernel's to reclaim.
 *
 * <p>A derived artefact keyed like the graph: its folder's key hashes the checkpoint's SHA-256, the graph's bytes and
 * so {@link #NAME}, which carries the layout version. Written to a temp file, forced to disk and renamed into place,
 * so a crash or a concurrent process never leaves a partial file under the name. Its SHA-256, computed while writing,
 * is kept beside it ({@code .sha256}) and checked on every load through the hash cache (free until the file's stamp
 * changes): a file cut short, changed in place or left without its hash is rebuilt, never served.
 */
final class QuantizedFile {
    /** The file's name; bump its version when a quantiser changes the bytes it writes (it is part of the key). */
    static final String NAME = "quantized-v1.bin";

    /** Each blob and scales array starts at a multiple of this (page and allocation-granularity aligned). */
    static final long ALIGN = 64 * 1024;

    private static final String TEMP_PREFIX = ".tmp-quantized-";

    private QuantizedFile() {}

    /** Zeros of the alignment gaps, hashed as the file holds them. */
    private static final byte[] ZEROS = new byte[(int) ALIGN];

    /** Where the next array starts after one that ends at {@code end}. */
    static long align(long end) {
        return (end + ALIGN - 1) / ALIGN * ALIGN;
    }

    /**
     * Where a matrix's blob and scales lie in the file and where they end: the one layout rule, used to declare the
     * graph's offsets ({@link ExternalWeights}), to size the file and to write it.
     */
    record Place(long blob, long scales, long end) {
        /** {@code q}'s place after arrays that end at {@code end}. */
        static Place after(long end, GraphExport.Quantized q) {
            long blob = align(end);
            long scales = align(blob + q.blobBytes());
            return new Place(blob, scales, scales + q.scalesBytes());
        }
    }

    /** The file's length for {@code quantized}, laid out in order as {@link ExternalWeights} declares them. */
    static long length(List<GraphExport.Quantized> quantized) {
        long at = 0;
        for (GraphExport.Quantized q : quantized) {
            at = Place.after(at, q).end();
        }
        return at;
    }

    /**
     * Makes sure {@code export}'s quantised matrices are in {@link #NAME} beside its graph, building the file from the
     * checkpoint unless it is there intact ({@link #intact}). Fails in one line when the disk lacks room for it.
     */
    static void ensure(GraphExport export) throws ModelException {
        List<GraphExport.Quantized> quantized = export.quantized();
        if (quantized.isEmpty()) {
            return;
        }
        Path dir = export.model().getParent();
        Path file = dir.resolve(NAME);
        long length = length(quantized);
        Path tmp = null;
        try {
            if (intact(file, length)) {
                return;
            }
            OnnxExportFolder.deleteStaleTemps(dir, TEMP_PREFIX);
            requireRoom(length, Files.getFileStore(dir).getUsableSpace(), dir);
            tmp = Files.createTempFile(dir, TEMP_PREFIX, ".bin");
            String sha = write(tmp, quantized, length);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache folder does not support atomic moves", e);
            }
            // after the rename (which changes the file's ctime, part of its stamp); the sidecar last, so a crash
            // between the two leaves a file without one, which the next load rebuilds
            FileHashes.record(file, sha);
            AtomicFiles.write(sidecar(file), sha + "\n");
        } catch (IOException e) {
            throw new ModelException(
                    "cannot write the quantised weights under " + dir + ": " + e.getMessage(),
                    "set UNMASK_CACHE to a writable folder with room, or use --backend torch");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover temp file is removed by a later build (OnnxExportFolder.deleteStaleTemps)
                }
            }
        }
    }

    /**
     * Whether {@code file} is there, {@code length} long and has the SHA-256 its sidecar recorded when it was written:
     * checked against the hash cache, so it is read again only after it changed (a file cut short, overwritten in
     * place or left without its sidecar by a crash is rebuilt, never served).
     */
    private static boolean intact(Path file, long length) throws IOException, ModelException {
        Path sidecar = sidecar(file);
        if (!Files.isRegularFile(file) || Files.size(file) != length || !Files.isRegularFile(sidecar)) {
            return false;
        }
        return Files.readString(sidecar, StandardCharsets.US_ASCII).strip().equals(FileHashes.sha256(file));
    }

    /** The file holding {@code file}'s SHA-256 as written. */
    static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    /** Fails in one line, naming both sizes, when {@code free} bytes under {@code dir} cannot hold {@code length}. */
    static void requireRoom(long length, long free, Path dir) throws ModelException {
        if (free < length) {
            throw new ModelException(
                    String.format(
                            Locale.ROOT,
                            "the quantised weights need %.2f GB under %s; %.2f GB is free",
                            length / 1e9,
                            dir,
                            free / 1e9),
                    "free disk space, set UNMASK_CACHE to a larger disk, or use --backend torch");
        }
    }

    /**
     * Quantises every matrix into one reused buffer pair and writes it at its place in {@code tmp} with plain writes
     * (the file's pages never join this process's resident set, and only the largest matrix is held at a time), then
     * forces the file to disk before the caller publishes it.
     */
    private static String write(Path tmp, List<GraphExport.Quantized> quantized, long length)
            throws IOException, ModelException {
        // one heap buffer widens every half-precision source in turn instead of a new one per matrix (up to 524 MB
        // each at 7B, garbage once quantised)
        long widest = quantized.stream()
                .filter(q -> q.source().dtype() != DType.F32)
                .mapToLong(q -> q.source().length() / 2)
                .max()
                .orElse(0);
        FloatBuffer scratch = widest == 0 ? null : FloatBuffer.allocate(Math.toIntExact(widest));
        int blobMax = Math.toIntExact(quantized.stream()
                .mapToLong(GraphExport.Quantized::blobBytes)
                .max()
                .orElseThrow());
        int scalesMax = Math.toIntExact(quantized.stream()
                .mapToLong(GraphExport.Quantized::scalesBytes)
                .max()
                .orElseThrow());
        ByteBuffer blob = ByteBuffer.allocate(blobMax);
        // external data is little-endian whatever the host
        ByteBuffer scaleBytes = ByteBuffer.allocate(scalesMax).order(ByteOrder.LITTLE_ENDIAN);
        Map<Path, FileChannel> open = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            long at = 0;
            for (GraphExport.Quantized q : quantized) {
                FloatBuffer source = MappedWeights.floats(open, q.source(), scratch);
                blob.clear().limit(Math.toIntExact(q.blobBytes()));
                scaleBytes.clear().limit(Math.toIntExact(q.scalesBytes()));
                FloatBuffer scales = scaleBytes.asFloatBuffer();
                switch (q.scheme()) {
                    case NBITS_BLOCKS -> NBitsWeights.quantize(source, q, blob, scales);
                    case INT8_COLUMNS -> ColumnInt8Weights.quantize(source, q, blob, scales);
                }
                Place place = Place.after(at, q);
                writeFully(out, blob, place.blob(), at, digest);
                writeFully(out, scaleBytes, place.scales(), place.blob() + q.blobBytes(), digest);
                at = place.end();
            }
            if (at != length) {
                throw new IllegalStateException("wrote " + at + " bytes of a " + length + "-byte layout");
            }
            out.force(true); // the rename must not publish bytes that are still only in memory
        } finally {
            MappedWeights.closeAll(open);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Writes {@code b} (position 0 to its limit) at {@code to}, after the alignment gap from {@code end} (the file's
     * zeros there, hashed as such: arrays are written in file order, so {@code digest} sees the whole file once).
     */
    private static void writeFully(FileChannel out, ByteBuffer b, long to, long end, MessageDigest digest)
            throws IOException {
        digest.update(ZEROS, 0, Math.toIntExact(to - end));
        b.position(0);
        digest.update(b);
        b.position(0);
        long at = to;
        while (b.hasRemaining()) {
            at += out.write(b, at);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
