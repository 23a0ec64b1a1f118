package org.unmask.models.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.unmask.core.error.ModelException;

/**
 * The default model: Google's BERT-Base Uncased from the Maven artifact {@value SavedModelArchive#ARTIFACT} on the
 * classpath, converted once into a Hugging Face folder {@code <cache>/models/bert-base-uncased/}.
 *
 * <p>{@link #ensure()} is cheap when the folder is intact (sizes and small hashes checked; the weights' SHA-256 only
 * when their size or mtime changed). Otherwise it converts: into a temporary sibling folder, then an atomic rename,
 * so readers never see a half-written folder. Concurrent callers in this or other processes serialize on a file lock
 * in the cache folder; the loser waits and then uses the winner's folder. A corrupt or stale folder is converted
 * again, with a one-line notice instead of an error.
 */
public final class EmbeddedBertCheckpoint {
    /** The Hugging Face id this checkpoint stands for. */
    public static final String MODEL_ID = "bert-base-uncased";
    /** Bumped whenever the converter's output changes, so older caches are converted again. */
    static final int CONVERTER_VERSION = 1;

    static final String WRITABLE_HINT = "set UNMASK_CACHE to a writable folder with about 1 GB free";

    private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    /** Supplies the archive lazily, so resolving other models never touches the 408 MB jar. */
    interface ArchiveSupplier {
        SavedModelArchive get() throws ModelException;
    }

    private final Path cacheRoot;
    private final Consumer<String> notices;
    private final ArchiveSupplier archive;

    /** Converts into {@code cacheRoot/models/bert-base-uncased}; notices go to standard error. */
    public EmbeddedBertCheckpoint(Path cacheRoot) {
        this(cacheRoot, System.err::println);
    }

    /** As {@link #EmbeddedBertCheckpoint(Path)}, with one-line progress and repair notices sent to {@code notices}. */
    public EmbeddedBertCheckpoint(Path cacheRoot, Consumer<String> notices) {
        this(cacheRoot, notices, SavedModelArchive::embedded);
    }

    EmbeddedBertCheckpoint(Path cacheRoot, Consumer<String> notices, ArchiveSupplier archive) {
        this.cacheRoot = cacheRoot.toAbsolutePath().normalize();
        this.notices = notices;
        this.archive = archive;
    }

    /** Whether {@code ref} names this model (null and blank mean "the default model"). */
    public static boolean isDefaultRef(String ref) {
        if (ref == null || ref.isBlank()) {
            return true;
        }
        String r = ref.trim();
        return r.equals(MODEL_ID) || r.equals("google-bert/" + MODEL_ID);
    }

    /** The folder the converted model lives in (it may not exist yet). */
    public Path dir() {
        return cacheRoot.resolve("models").resolve(MODEL_ID);
    }

    /** Returns the converted, verified folder, converting or repairing it first when needed. */
    public Path ensure() throws ModelException {
        Path target = dir();
        if (Files.isDirectory(target)
                && CheckpointManifest.problem(target, CONVERTER_VERSION).isEmpty()) {
            return target;
        }
        Path models = target.getParent();
        try {
            Files.createDirectories(models);
        } catch (IOException e) {
            throw new ModelException(
                    "cannot create the model cache folder " + models + ": " + describe(e), WRITABLE_HINT, e);
        }
        Path lockFile = models.resolve("." + MODEL_ID + ".lock");
        ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.lock(); // blocks while another process converts; released when the channel closes
            return convertIfStillNeeded(target);
        } catch (IOException e) {
            throw new ModelException(
                    "cannot lock or write the model cache folder " + models + ": " + describe(e), WRITABLE_HINT, e);
        } finally {
            local.unlock();
        }
    }

    private Path convertIfStillNeeded(Path target) throws ModelException, IOException {
        Optional<String> problem = Files.isDirectory(target)
                ? CheckpointManifest.problem(target, CONVERTER_VERSION)
                : Optional.of("absent");
        if (problem.isEmpty()) {
            return target; // another thread or process converted it while we waited for the lock
        }
        SavedModelArchive source = archive.get();
        if (problem.get().equals("absent")) {
            notices.accept(
                    "unmask: converting the embedded " + MODEL_ID + " checkpoint into " + target + " (once; 10-30 s)");
        } else {
            notices.accept("unmask: the cached " + MODEL_ID + " in " + target + " is unusable (" + problem.get()
                    + "); converting it again from the embedded checkpoint");
        }
        Path models = target.getParent();
        deleteLeftovers(models);
        Path temp = Files.createTempDirectory(models, "." + MODEL_ID + ".tmp-");
        try {
            long start = System.nanoTime();
            BertCheckpointConverter.Result result = new BertCheckpointConverter(source).convert(temp);
            long millis = (System.nanoTime() - start) / 1_000_000;
            CheckpointManifest.write(temp, result, source, CONVERTER_VERSION, millis);
            shareable(temp);
            Path old = models.resolve("." + MODEL_ID + ".old-" + System.nanoTime());
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE); // a folder cannot be replaced in one rename
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            try {
                deleteTree(old);
            } catch (IOException e) {
                // harmless: the next conversion removes leftovers
            }
            return target;
        } finally {
            deleteTree(temp);
        }
    }

    /** Temp folders are created owner-only; the cache folder is meant to be shared like ~/.cache/huggingface. */
    private static void shareable(Path dir) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Temp and old folders of runs that died; safe to remove because we hold the lock. */
    private static void deleteLeftovers(Path models) throws IOException {
        try (Stream<Path> siblings = Files.list(models)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("." + MODEL_ID + ".tmp-") || name.startsWith("." + MODEL_ID + ".old-")) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
