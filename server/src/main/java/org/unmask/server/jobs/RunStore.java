package org.unmask.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.unmask.core.io.AtomicFiles;
import org.unmask.server.http.ApiException;

/**
 * The runs folder: one sub-folder per run id holding {@code result.json} and {@code report.html}.
 * A run id from a request is only ever turned into a path after it matches {@link #RUN_ID} (letters,
 * digits, {@code _} and {@code -}; no dots, no separators), and the resolved path is checked to stay
 * inside the folder; file names are fixed constants, never taken from a request.
 */
public final class RunStore {
    public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    public static final String RESULT = "result.json";
    public static final String REPORT = "report.html";

    private final Path root;

    public RunStore(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /** Validates a run id from a request; 400 when it could name anything but a plain sub-folder. */
    public static String checkId(String id) throws ApiException {
        if (!RUN_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "bad_run_id",
                    "run id must be 1-64 letters, digits, '_' or '-'",
                    "use the id returned by POST /api/jobs");
        }
        return id;
    }

    /** The folder of a run, guaranteed to be a direct child of the runs folder. */
    Path dir(String id) throws ApiException {
        Path p = root.resolve(checkId(id)).normalize();
        if (!p.startsWith(root) || !p.getParent().equals(root)) {
            throw ApiException.badRequest("bad_run_id", "run id escapes the runs folder", "");
        }
        return p;
    }

    /** Writes one file of a run atomically ({@link AtomicFiles}: temp file in the same folder, then a rename). */
    void write(String id, String file, byte[] content) throws IOException, ApiException {
        AtomicFiles.write(dir(id).resolve(file), content);
    }

    /** Reads one file of a run, if present; the real path must still lie inside the runs folder. */
    public Optional<byte[]> read(String id, String file) throws IOException, ApiException {
        if (!RESULT.equals(file) && !REPORT.equals(file)) {
            throw new IllegalArgumentException("not a run file: " + file);
        }
        Path p = dir(id).resolve(file);
        try {
            if (!p.toRealPath().startsWith(root)) {
                throw ApiException.notFound("no run " + id); // a symlink out of the runs folder
            }
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
