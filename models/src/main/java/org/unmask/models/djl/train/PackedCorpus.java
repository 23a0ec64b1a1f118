package org.unmask.models.djl.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.unmask.core.model.TextTokenizer;

/**
 * Pretraining data: documents tokenised and packed into fixed-length blocks, as Hugging Face's {@code run_mlm.py}
 * ({@code group_texts}) does: each document becomes {@code [CLS] tokens [SEP]}, the documents are concatenated
 * and cut into blocks of exactly {@code blockLength} ids; the remainder shorter than a block is dropped.
 *
 * <p>A document goes to the held-out slice when the SHA-256 of its text falls below {@code heldOutFraction} of
 * the hash space, so the split depends on the text only (not on the seed, the shard layout or the reading order):
 * every seed and every run on the same documents holds out the same ones. The training documents are packed in an
 * order shuffled by the seed; the held-out ones in reading order.
 *
 * @param train training blocks
 * @param heldOut held-out blocks
 * @param trainDocuments documents in the training slice
 * @param heldOutDocuments documents in the held-out slice
 * @param emptyDocuments documents with no tokens (counted, not used)
 * @param trainTokens ids in the training slice before packing (specials included)
 * @param heldOutTokens ids in the held-out slice before packing
 * @param blockLength ids per block
 */
public record PackedCorpus(
        List<int[]> train,
        List<int[]> heldOut,
        long trainDocuments,
        long heldOutDocuments,
        long emptyDocuments,
        long trainTokens,
        long heldOutTokens,
        int blockLength) {

    public PackedCorpus {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * The sequences of a run of {@code count} blocks: the training blocks in a seeded order, then again in another
     * seeded order (the next epoch) and so on until {@code count} are taken.
     */
    public List<int[]> runSequences(long count, long seed) {
        if (train.isEmpty()) {
            throw new IllegalStateException("no training blocks");
        }
        List<int[]> out = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE - 8));
        for (int epoch = 0; out.size() < count; epoch++) {
            int[] order = shuffle(train.size(), Seeds.derive(seed, 0x9ACCL, epoch));
            for (int i = 0; i < order.length && out.size() < count; i++) {
                out.add(train.get(order[i]));
            }
        }
        return out;
    }

    /** Blocks of training text per pass (epoch) over the data. */
    public long trainBlockTokens() {
        return (long) train.size() * blockLength;
    }

    static int[] shuffle(int n, long seed) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Whether a document's text belongs to the held-out slice. */
    public static boolean heldOut(String text, double fraction) {
        return heldOut(textKey(text), fraction);
    }

    static boolean heldOut(long key, double fraction) {
        return fraction > 0 && key < fraction * (1L << 56);
    }

    /** The top 56 bits of the SHA-256 of a text: what the held-out split looks at. */
    static long textKey(String text) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        long top = 0;
        for (int i = 0; i < 7; i++) {
            top = (top << 8) | (d[i] & 0xFF);
        }
        return top;
    }

    /**
     * Collects documents one at a time (tokenising each as it comes), then packs them. The tokenised documents can
     * be saved and loaded ({@link #save}, {@link #load}) so that runs on the same corpus tokenise it once. Not
     * thread-safe.
     */
    public static final class Builder {
        private static final int CACHE_MAGIC = 0x554D5054; // "UMPT"
        private static final int CACHE_VERSION = 1;

        private final TextTokenizer tokenizer;
        private final int blockLength;
        private final double heldOutFraction;
        private final int cls;
        private final int sep;
        private final List<int[]> docs = new ArrayList<>();
        private final List<Long> keys = new ArrayList<>();
        private long empty;

        /**
         * @param tokenizer a BERT-style tokenizer ({@code encode("")} gives {@code [CLS] [SEP]})
         * @param blockLength ids per block (at least 8)
         * @param heldOutFraction share of documents held out, [0, 0.5]
         */
        public Builder(TextTokenizer tokenizer, int blockLength, double heldOutFraction) {
            if (blockLength < 8) {
                throw new IllegalArgumentException("block length must be >= 8, was " + blockLength);
            }
            if (!(heldOutFraction >= 0 && heldOutFraction <= 0.5)) {
                throw new IllegalArgumentException("held-out fraction must be in [0, 0.5], was " + heldOutFraction);
            }
            int[] sp = tokenizer.encode("").ids();
            if (sp.length != 2) {
                throw new IllegalArgumentException("the tokenizer does not wrap text in [CLS] ... [SEP]");
            }
            this.tokenizer = tokenizer;
            this.blockLength = blockLength;
            this.heldOutFraction = heldOutFraction;
            this.cls = sp[0];
            this.sep = sp[1];
        }

        /** Tokenises one document. */
        public void add(String text) {
            int[] ids = tokenizer.encodeWithoutSpecials(text).ids();
            if (ids.length == 0) {
                empty++;
                return;
            }
            int[] doc = new int[ids.length + 2];
            doc[0] = cls;
            System.arraycopy(ids, 0, doc, 1, ids.length);
            doc[doc.length - 1] = sep;
            docs.add(doc);
            keys.add(textKey(text));
        }

        /** Documents added (empty ones included). */
        public long documents() {
            return docs.size() + empty;
        }

        /** Writes the tokenised documents to {@code file} (atomically). */
        public void save(java.nio.file.Path file) throws java.io.IOException {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(
                    file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(
                        new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(tmp), 1 << 16))) {
                    out.writeInt(CACHE_MAGIC);
                    out.writeInt(CACHE_VERSION);
                    out.writeLong(empty);
                    out.writeInt(docs.size());
                    for (int i = 0; i < docs.size(); i++) {
                        int[] d = docs.get(i);
                        out.writeLong(keys.get(i));
                        out.writeInt(d.length);
                        for (int id : d) {
                            out.writeInt(id);
                        }
                    }
                }
                java.nio.file.Files.move(
                        tmp,
                        file,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }

        /**
         * Adds the documents saved in {@code file}; false (and nothing added) when it is not a complete cache of
         * this format.
         */
        public boolean load(java.nio.file.Path file) {
            List<int[]> d = new ArrayList<>();
            List<Long> k = new ArrayList<>();
            long e;
            try (java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16))) {
                if (in.readInt() != CACHE_MAGIC || in.readInt() != CACHE_VERSION) {
                    return false;
                }
                e = in.readLong();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    k.add(in.readLong());
                    int len = in.readInt();
                    if (len < 2 || len > (1 << 28)) {
                        return false;
                    }
                    int[] doc = new int[len];
                    for (int j = 0; j < len; j++) {
                        doc[j] = in.readInt();
                    }
                    d.add(doc);
                }
                if (in.read() != -1) {
                    return false;
                }
            } catch (java.io.IOException ex) {
                return false; // a damaged or partial cache is rebuilt, never trusted
            }
            docs.addAll(d);
            keys.addAll(k);
            empty += e;
            return true;
        }

        /** Packs the documents read: training documents in an order shuffled by {@code seed}. */
        public PackedCorpus build(long seed) {
            List<int[]> trainDocs = new ArrayList<>();
            List<int[]> heldOutDocs = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                (heldOut(keys.get(i), heldOutFraction) ? heldOutDocs : trainDocs).add(docs.get(i));
            }
            int[] order = shuffle(trainDocs.size(), Seeds.derive(seed, 0xD0CL));
            List<int[]> shuffled = new ArrayList<>(trainDocs.size());
            for (int i : order) {
                shuffled.add(trainDocs.get(i));
            }
            return new PackedCorpus(
                    pack(shuffled),
                    pack(heldOutDocs),
                    trainDocs.size(),
                    heldOutDocs.size(),
                    empty,
                    tokens(trainDocs),
                    tokens(heldOutDocs),
                    blockLength);
        }

        private List<int[]> pack(List<int[]> docs) {
            List<int[]> blocks = new ArrayList<>();
            int[] cur = new int[blockLength];
            int fill = 0;
            for (int[] d : docs) {
                int pos = 0;
                while (pos < d.length) {
                    int n = Math.min(blockLength - fill, d.length - pos);
                    System.arraycopy(d, pos, cur, fill, n);
                    fill += n;
                    pos += n;
                    if (fill == blockLength) {
                        blocks.add(cur);
                        cur = new int[blockLength];
                        fill = 0;
                    }
                }
            }
            return blocks;
        }

        private static long tokens(List<int[]> docs) {
            long n = 0;
            for (int[] d : docs) {
                n += d.length;
            }
            return n;
        }
    }
}
