package org.unmask.corpus.input;

import java.nio.file.Path;

/**
 * One input file.
 *
 * @param path where it is
 * @param relative its path relative to the corpus root, with {@code /} separators (the name used in reports)
 * @param format how it is stored
 * @param size size in bytes (compressed, as on disk)
 * @param modifiedMillis last-modified time, part of the checkpoint key
 */
public record Shard(Path path, String relative, ShardFormat format, long size, long modifiedMillis) {}
