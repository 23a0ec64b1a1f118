package org.unmask.corpus.input;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page (de)compression without Hadoop: Parquet's own codec factory goes through Hadoop's codec classes,
 * which the command line does not carry. Covers what corpus Parquet is written with (FineWeb, RedPajama, DCLM,
 * Dolma: snappy or zstd; gzip; uncompressed), with the same libraries Spark uses (snappy-java, zstd-jni, the JDK's
 * zlib). Stateless and thread-safe. Other codecs fail with a message naming the codec.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    public static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private ParquetCodecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        supported(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(ParquetCodecs.compress(codec, array(bytes)));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        supported(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(ParquetCodecs.decompress(codec, array(bytes), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int uncompressedSize)
                    throws IOException {
                byte[] src = new byte[compressedSize];
                in.duplicate().get(src);
                out.put(ParquetCodecs.decompress(codec, src, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private static byte[] array(BytesInput bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream((int) Math.max(0, bytes.size()));
        bytes.writeAllTo(b);
        return b.toByteArray();
    }

    private static void supported(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD -> {}
            default -> throw new UnsupportedCodecException(codec);
        }
    }

    static byte[] decompress(CompressionCodecName codec, byte[] src, int size) throws IOException {
        byte[] out = switch (codec) {
            case UNCOMPRESSED -> src;
            case SNAPPY -> Snappy.uncompress(src);
            case ZSTD -> {
                byte[] d = new byte[size];
                long n = Zstd.decompress(d, src);
                if (Zstd.isError(n)) {
                    throw new IOException("zstd: " + Zstd.getErrorName(n));
                }
                yield d;
            }
            case GZIP -> {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(src))) {
                    yield in.readNBytes(size + 1);
                }
            }
            default -> throw new UnsupportedCodecException(codec);
        };
        if (out.length != size) {
            throw new IOException(codec + " page decompressed to " + out.length + " bytes, its header says " + size);
        }
        return out;
    }

    static byte[] compress(CompressionCodecName codec, byte[] src) throws IOException {
        return switch (codec) {
            case UNCOMPRESSED -> src;
            case SNAPPY -> Snappy.compress(src);
            case ZSTD -> Zstd.compress(src, 3);
            case GZIP -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream(src.length / 2 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                    gz.write(src);
                }
                yield b.toByteArray();
            }
            default -> throw new UnsupportedCodecException(codec);
        };
    }

    /** A Parquet file compressed with a codec the reader does not carry (LZO, Brotli, LZ4). */
    public static final class UnsupportedCodecException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsupportedCodecException(CompressionCodecName codec) {
            super("Parquet compression " + codec + " is not supported (snappy, zstd, gzip or none are)");
        }
    }
}
