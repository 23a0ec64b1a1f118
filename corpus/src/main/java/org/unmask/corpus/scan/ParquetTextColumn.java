package org.unmask.corpus.scan;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.unmask.corpus.input.ParquetCodecs;

/**
 * The text column of a Parquet file (FineWeb, RedPajama-v2, DCLM, Dolma), read with the Parquet library one row
 * group at a time and only that column (a projection: other columns are never read or decompressed).
 *
 * <p>Memory: the library holds the compressed chunk of the text column of the current row group and one
 * decompressed page; values are handed out one at a time from that page. So the heap needed is about the largest
 * compressed text chunk of one row group plus one page, independent of the file's size and row count.
 * Not thread-safe.
 */
public final class ParquetTextColumn implements Closeable {
    /** Whether the file's schema has a usable text column. */
    public enum Schema {
        /** A top-level, non-repeated BINARY (string) column of that name. */
        OK,
        /** No top-level column of that name: every row lacks the text. */
        NO_COLUMN,
        /** The column exists but is not a string (a number, a group, a list). */
        NOT_STRING
    }

    /** Receives the rows of the file in order (row numbers are 1-based, over the whole file). */
    public interface Rows {
        /** A row's text: valid until the next call. */
        void text(long row, byte[] buf, int off, int len);

        /** A row whose text is null. */
        void nullText(long row);

        /** A row group was read; {@code rows} rows were delivered from it. */
        void rowGroupDone(long rows);
    }

    private final ParquetFileReader reader;
    private final String field;
    private final MessageType projection;
    private final Schema schema;
    private final String columns;

    private ParquetTextColumn(ParquetFileReader reader, String field) {
        this.reader = reader;
        this.field = field;
        MessageType all = reader.getFooter().getFileMetaData().getSchema();
        this.columns = all.getFields().stream().map(Type::getName).collect(Collectors.joining(", "));
        if (!all.containsField(field)) {
            schema = Schema.NO_COLUMN;
            projection = null;
            return;
        }
        Type t = all.getType(field);
        boolean string = t.isPrimitive()
                && !t.isRepetition(Type.Repetition.REPEATED)
                && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY;
        schema = string ? Schema.OK : Schema.NOT_STRING;
        projection = string ? new MessageType(all.getName(), t) : null;
        if (string) {
            reader.setRequestedSchema(projection);
        }
    }

    /** Opens {@code file} (reads its footer) for the column {@code field}. */
    public static ParquetTextColumn open(InputFile file, String field) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .build();
        ParquetFileReader r = ParquetFileReader.open(file, options);
        try {
            return new ParquetTextColumn(r, field);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    public Schema schema() {
        return schema;
    }

    /** The file's top-level column names, comma-separated (for messages). */
    public String columns() {
        return columns;
    }

    /** Rows in the file, from its footer. */
    public long rows() {
        return reader.getRecordCount();
    }

    /** Delivers every row in order; requires {@link Schema#OK}. */
    public void read(Rows out) throws IOException {
        if (schema != Schema.OK) {
            throw new IllegalStateException("column '" + field + "' is " + schema);
        }
        TextMaterializer m = new TextMaterializer();
        ColumnIOFactory io = new ColumnIOFactory();
        long row = 0;
        PageReadStore pages;
        while ((pages = reader.readNextRowGroup()) != null) {
            RecordReader<Binary> records = io.getColumnIO(projection).getRecordReader(pages, m);
            long n = pages.getRowCount();
            for (long i = 0; i < n; i++) {
                Binary b = records.read();
                row++;
                if (b == null) {
                    out.nullText(row);
                    continue;
                }
                ByteBuffer bb = b.toByteBuffer();
                if (bb.hasArray()) {
                    out.text(row, bb.array(), bb.arrayOffset() + bb.position(), bb.remaining());
                } else {
                    byte[] copy = b.getBytes();
                    out.text(row, copy, 0, copy.length);
                }
            }
            out.rowGroupDone(n);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Keeps the one projected value of the current record; null when the record's text is null. */
    private static final class TextMaterializer extends RecordMaterializer<Binary> {
        private Binary current;
        private final PrimitiveConverter value = new PrimitiveConverter() {
            @Override
            public void addBinary(Binary b) {
                current = b;
            }
        };
        private final GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return value;
            }

            @Override
            public void start() {
                current = null;
            }

            @Override
            public void end() {}
        };

        @Override
        public Binary getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
