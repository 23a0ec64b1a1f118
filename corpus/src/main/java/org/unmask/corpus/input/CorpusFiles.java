package org.unmask.corpus.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
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
 * {@link Listing#ignored()} so that reports can say what was not read.
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

    public static Listing list(Path root) throws InvalidInputException {
        if (!Files.exists(root)) {
            throw new InvalidInputException("corpus path " + root + " does not exist",
                    "give a folder of *.jsonl.gz / *.jsonl.zst / *.jsonl / *.txt files or one such file");
        }
        List<Shard> shards = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Path base = Files.isDirectory(root) ? root : root.toAbsolutePath().getParent();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            for (Path p : files) {
                String rel = base.relativize(p).toString().replace('\\', '/');
                Optional<ShardFormat> f = ShardFormat.of(p.getFileName().toString());
                if (f.isEmpty()) {
                    ignored.add(rel);
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                shards.add(new Shard(p, rel, f.get(), a.size(), a.lastModifiedTime().toMillis()));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException("cannot list corpus " + root + ": " + e.getMessage(),
                    "check permissions and broken symbolic links under the folder");
        }
        shards.sort(Comparator.comparing(Shard::relative));
        ignored.sort(Comparator.naturalOrder());
        if (shards.isEmpty()) {
            throw new InvalidInputException("no corpus files under " + root,
                    "expected *.jsonl.gz, *.json.gz, *.jsonl.zst, *.jsonl, *.txt(.gz|.zst) files");
        }
        return new Listing(base, shards, ignored);
    }
}
