package org.unmask.models.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;
import org.unmask.core.error.ModelException;

/**
 * The index of a TensorFlow tensor bundle ({@code variables.index}): a LevelDB SSTable whose keys are tensor names
 * and whose values are {@code BundleEntryProto} messages (dtype, shape, shard, offset, size, masked CRC32C of the
 * tensor bytes). Parsed by hand (footer, block handles, prefix-compressed entries, protobuf fields) so no TensorFlow
 * or protobuf dependency is needed; every block's masked CRC32C is checked.
 */
final class TfBundleIndex {
    /** {@code DT_FLOAT} in TensorFlow's {@code types.proto}. */
    static final int DT_FLOAT = 1;

    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER_LENGTH = 48;
    private static final int BLOCK_TRAILER = 5;

    /** One tensor of the bundle. */
    record Entry(String name, int dtype, long[] shape, int shardId, long offset, long size, int maskedCrc32c) {
        Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e
                    && name.equals(e.name)
                    && dtype == e.dtype
                    && Arrays.equals(shape, e.shape)
                    && shardId == e.shardId
                    && offset == e.offset
                    && size == e.size
                    && maskedCrc32c == e.maskedCrc32c;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(offset);
        }

        @Override
        public String toString() {
            return name + " dtype=" + dtype + " " + Arrays.toString(shape) + " @" + offset + "+" + size;
        }
    }

    private final String where;
    private final byte[] bytes;
    private final List<Entry> entries = new ArrayList<>();
    private int numShards = 1;

    private TfBundleIndex(String where, byte[] bytes) {
        this.where = where;
        this.bytes = bytes;
    }

    /** Parses {@code bytes}; {@code where} names the file in error messages. */
    static TfBundleIndex parse(byte[] bytes, String where) throws ModelException {
        TfBundleIndex index = new TfBundleIndex(where, bytes);
        index.read();
        return index;
    }

    /** Tensors in key (name) order. */
    List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Number of data shards ({@code variables.data-0000k-of-0000n}). */
    int numShards() {
        return numShards;
    }

    /** LevelDB/TensorFlow CRC mask: rotate right by 15 bits and add a constant. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** Masked CRC32C of {@code data[from, from+length)}. */
    static int maskedCrc32c(byte[] data, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, from, length);
        return mask((int) crc.getValue());
    }

    private void read() throws ModelException {
        if (bytes.length < FOOTER_LENGTH) {
            throw corrupt("file has " + bytes.length + " bytes, too short for an SSTable footer");
        }
        Reader footer = new Reader(bytes, bytes.length - FOOTER_LENGTH, bytes.length);
        long magic = 0;
        for (int i = 7; i >= 0; i--) {
            magic = (magic << 8) | (bytes[bytes.length - 8 + i] & 0xff);
        }
        if (magic != TABLE_MAGIC) {
            throw corrupt("bad SSTable magic number (not a TensorFlow tensor bundle index)");
        }
        footer.varint(); // metaindex offset: no filters are used by tensor bundles
        footer.varint(); // metaindex size
        long indexOffset = footer.varint();
        long indexSize = footer.varint();
        int[] index = block(indexOffset, indexSize, "index block");
        forEachEntry(index, (key, valueFrom, valueTo) -> {
            Reader handle = new Reader(bytes, valueFrom, valueTo);
            long offset = handle.varint();
            long size = handle.varint();
            int[] data = block(offset, size, "data block at " + offset);
            forEachEntry(data, this::readEntry);
        });
    }

    private void readEntry(String key, int from, int to) throws ModelException {
        if (key.isEmpty()) {
            readHeader(from, to);
            return;
        }
        Reader r = new Reader(bytes, from, to);
        int dtype = 0;
        long[] shape = new long[0];
        int shard = 0;
        long offset = 0;
        long size = 0;
        Integer crc = null;
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 0) {
                dtype = (int) r.varint();
            } else if (field == 2 && wire == 2) {
                shape = readShape(r.subMessage(), key);
            } else if (field == 3 && wire == 0) {
                shard = (int) r.varint();
            } else if (field == 4 && wire == 0) {
                offset = r.varint();
            } else if (field == 5 && wire == 0) {
                size = r.varint();
            } else if (field == 6 && wire == 5) {
                crc = r.fixed32();
            } else if (field == 7) {
                throw corrupt("tensor '" + key + "' is stored in slices (partitioned variables), not supported");
            } else {
                r.skip(wire);
            }
        }
        if (crc == null) {
            throw corrupt("tensor '" + key + "' has no CRC32C checksum");
        }
        entries.add(new Entry(key, dtype, shape, shard, offset, size, crc));
    }

    private long[] readShape(Reader r, String key) throws ModelException {
        List<Long> dims = new ArrayList<>();
        while (r.hasMore()) {
            long tag = r.varint();
            if ((tag >>> 3) == 2 && (tag & 7) == 2) {
                Reader dim = r.subMessage();
                long size = 0;
                while (dim.hasMore()) {
                    long t = dim.varint();
                    if ((t >>> 3) == 1 && (t & 7) == 0) {
                        size = dim.varint();
                    } else {
                        dim.skip((int) (t & 7));
                    }
                }
                if (size < 0) {
                    throw corrupt("tensor '" + key + "' has an unknown dimension");
                }
                dims.add(size);
            } else if ((tag >>> 3) == 3 && (tag & 7) == 0) {
                if (r.varint() != 0) {
                    throw corrupt("tensor '" + key + "' has an unknown rank");
                }
            } else {
                r.skip((int) (tag & 7));
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private void readHeader(int from, int to) throws ModelException {
        Reader r = new Reader(bytes, from, to);
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            if (field == 1 && (tag & 7) == 0) {
                numShards = (int) r.varint();
            } else if (field == 2 && (tag & 7) == 0) {
                if (r.varint() != 0) {
                    throw corrupt("the bundle is big-endian; only little-endian bundles are supported");
                }
            } else {
                r.skip((int) (tag & 7));
            }
        }
    }

    /** Checks a block's trailer and returns {start, endOfEntries} of its content. */
    private int[] block(long offset, long size, String what) throws ModelException {
        if (offset < 0 || size < 4 || offset + size + BLOCK_TRAILER > bytes.length) {
            throw corrupt(what + " (offset " + offset + ", size " + size + ") lies outside the file");
        }
        int start = (int) offset;
        int end = (int) (offset + size);
        if (bytes[end] != 0) {
            throw corrupt(what + " uses compression type " + bytes[end] + "; only uncompressed blocks are supported");
        }
        int stored = (bytes[end + 1] & 0xff)
                | (bytes[end + 2] & 0xff) << 8
                | (bytes[end + 3] & 0xff) << 16
                | (bytes[end + 4] & 0xff) << 24;
        if (maskedCrc32c(bytes, start, (int) size + 1) != stored) {
            throw corrupt(what + " fails its CRC32C check");
        }
        int numRestarts = (bytes[end - 4] & 0xff)
                | (bytes[end - 3] & 0xff) << 8
                | (bytes[end - 2] & 0xff) << 16
                | (bytes[end - 1] & 0xff) << 24;
        long entriesEnd = end - 4 - 4L * numRestarts;
        if (numRestarts < 0 || entriesEnd < start) {
            throw corrupt(what + " has an invalid restart array");
        }
        return new int[] {start, (int) entriesEnd};
    }

    private interface EntryVisitor {
        void visit(String key, int valueFrom, int valueTo) throws ModelException;
    }

    private void forEachEntry(int[] block, EntryVisitor visitor) throws ModelException {
        Reader r = new Reader(bytes, block[0], block[1]);
        byte[] key = new byte[0];
        while (r.hasMore()) {
            int shared = (int) r.varint();
            int nonShared = (int) r.varint();
            int valueLength = (int) r.varint();
            if (shared > key.length
                    || nonShared < 0
                    || valueLength < 0
                    || (long) r.position() + nonShared + valueLength > block[1]) {
                throw corrupt("a block entry is malformed");
            }
            byte[] next = Arrays.copyOf(key, shared + nonShared);
            System.arraycopy(bytes, r.position(), next, shared, nonShared);
            key = next;
            int valueFrom = r.position() + nonShared;
            visitor.visit(new String(key, StandardCharsets.UTF_8), valueFrom, valueFrom + valueLength);
            r.seek(valueFrom + valueLength);
        }
    }

    private ModelException corrupt(String detail) {
        return new ModelException(
                where + ": " + detail,
                "the model archive is corrupt; delete it (for the embedded "
                        + "model: ~/.m2/repository/com/robrua) and let Maven fetch it again");
    }

    /** Cursor over a byte range with protobuf/LevelDB varint decoding. */
    private final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data, int from, int end) {
            this.data = data;
            this.pos = from;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int position() {
            return pos;
        }

        void seek(int position) {
            pos = position;
        }

        long varint() throws ModelException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw corrupt("truncated varint");
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw corrupt("varint longer than 10 bytes");
        }

        int fixed32() throws ModelException {
            need(4);
            int v = (data[pos] & 0xff)
                    | (data[pos + 1] & 0xff) << 8
                    | (data[pos + 2] & 0xff) << 16
                    | (data[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        Reader subMessage() throws ModelException {
            long length = varint();
            need(length);
            Reader sub = new Reader(data, pos, pos + (int) length);
            pos += (int) length;
            return sub;
        }

        void skip(int wireType) throws ModelException {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> {
                    need(8);
                    pos += 8;
                }
                case 2 -> subMessage();
                case 5 -> {
                    need(4);
                    pos += 4;
                }
                default -> throw corrupt("unsupported protobuf wire type " + wireType);
            }
        }

        private void need(long n) throws ModelException {
            if (n < 0 || pos + n > end) {
                throw corrupt("truncated protobuf field");
            }
        }
    }
}
