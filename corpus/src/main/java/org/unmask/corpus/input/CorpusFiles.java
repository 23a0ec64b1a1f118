package org.unmask.corpus.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.unmask.core.error.InvalidInputException;

/**
 * Finds the shards of a corpus: a single file, or every file under a folder tree (symbolic links followed)
 * whose name ends in a {@link ShardFormat} suffix, sorted by relative path. Other files are listed in
 * {@link Listing#ignored()} so that reports can say what was not read; nothing with a corpus suffix is left out,
 * not even a dangling link (the engine reports it as unreadable).
 */
public final class CorpusFiles {
    private CorpusFiles() {}

    /** The shards found and the files that were not corpus input. */
    public record Listing(Path root, List<Shard> shards, List<String> ignored) {
        public Listing {
            shards = List.copyOf(shards);
            ignored = List.copyOf(ignored);
        }

        public long totalBytes() {
            return shards.stream().mapToLong(Shard::size).sum();
        }
    }

    /**
     * Lists {@code path} (relative paths are resolved against the working directory). A file with a corpus suffix
     * that cannot be read as a regular file (a dangling symbolic link, a special file) is listed as a shard all the
     * same, so that the engine reports it as unreadable instead of dropping it silently.
     */
    public static Listing list(Path path) throws InvalidInputException {
        if (!Files.exists(path)) {
            throw new InvalidInputException(
                    "corpus path " + path + " does not exist",
                    "give a folder of *.jsonl.gz / *.jsonl.zst / *.jsonl / *.txt / *.parquet files or one such file");
        }
        // absolute, so that every walked path and the base are of the same kind for relativize
        Path root = path.toAbsolutePath();
        List<Shard> shards = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Path base = Files.isDirectory(root) ? root : root.getParent();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = walk.filter(p -> !Files.isDirectory(p)).toList();
            for (Path p : files) {
                String rel = base.relativize(p).toString().replace('\\', '/');
                Optional<ShardFormat> f = ShardFormat.of(p.getFileName().toString());
                if (f.isEmpty()) {
                    ignored.add(rel);
                    continue;
                }
                BasicFileAttributes a = attributes(p);
                shards.add(new Shard(
                        p, rel, f.get(), a.size(), a.lastModifiedTime().toMillis()));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(
                    "cannot list corpus " + path + ": " + e.getMessage(),
                    "check permissions and broken symbolic links under the folder");
        }
        shards.sort(Comparator.comparing(Shard::relative));
        ignored.sort(Comparator.naturalOrder());
        if (shards.isEmpty()) {
            throw new InvalidInputException(
                    "no corpus files under " + path,
                    "expected *.jsonl.gz, *.json.gz, *.jsonl.zst, *.jsonl, *.txt(.gz|.zst), *.parquet files");
        }
        return new Listing(base, shards, ignored);
    }

    /** The file's attributes; a dangling link's own ones (the engine reports the shard as unreadable). */
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
