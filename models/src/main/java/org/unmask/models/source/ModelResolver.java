package org.unmask.models.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.unmask.core.error.ModelException;

/**
 * Turns a model reference into a Hugging Face model folder, offline. Order:
 * <ol>
 *   <li>an existing path: a folder with {@code config.json} (anything else there is an error naming the problem);</li>
 *   <li>a hub id ({@code bert-base-uncased}, {@code org/name}) present in the local Hugging Face cache
 *       ({@code models--org--name/snapshots/<rev>/}, preferring the revision in {@code refs/main});</li>
 *   <li>for {@code null}, blank, {@code bert-base-uncased} or {@code google-bert/bert-base-uncased} with no HF cache
 *       copy: the embedded Google checkpoint, converted once into the Unmask cache
 *       ({@link EmbeddedBertCheckpoint});</li>
 *   <li>otherwise a {@link ModelException} listing every place looked at and how to provide the model.</li>
 * </ol>
 * The HF hub cache is {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}
 * ({@link #defaultHfHubCache()}); the
 * Unmask cache is the system property {@code unmask.cache}, else {@code $UNMASK_CACHE}, else {@code ~/.cache/unmask}.
 */
public final class ModelResolver {
    /** {@link ResolvedModel#source()} of a model given as a folder. */
    public static final String SOURCE_PATH = "path";
    /** {@link ResolvedModel#source()} prefix of a model found in the HF cache ({@code hf-cache@<revision>}). */
    public static final String SOURCE_HF_CACHE = "hf-cache";
    /** {@link ResolvedModel#source()} of the converted embedded checkpoint. */
    public static final String SOURCE_EMBEDDED = "embedded:" + SavedModelArchive.ARTIFACT;

    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

    private final Path hfHubCache;
    private final EmbeddedBertCheckpoint embedded;

    /** Caches from the environment (see class doc); notices go to standard error. */
    public ModelResolver() {
        this(defaultHfHubCache(), defaultUnmaskCache());
    }

    /** Explicit caches: {@code hfHubCache} is the folder holding {@code models--*} folders. */
    public ModelResolver(Path hfHubCache, Path unmaskCache) {
        this(hfHubCache, unmaskCache, System.err::println);
    }

    /** As {@link #ModelResolver(Path, Path)}, with conversion and repair notices sent to {@code notices}. */
    public ModelResolver(Path hfHubCache, Path unmaskCache, Consumer<String> notices) {
        this(hfHubCache, new EmbeddedBertCheckpoint(unmaskCache, notices));
    }

    ModelResolver(Path hfHubCache, EmbeddedBertCheckpoint embedded) {
        this.hfHubCache = hfHubCache.toAbsolutePath().normalize();
        this.embedded = embedded;
    }

    /**
     * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
     * {@code ~/.cache/huggingface/hub}, as in {@code huggingface_hub}.
     */
    public static Path defaultHfHubCache() {
        String hubCache = System.getenv("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return Path.of(hubCache);
        }
        String home = System.getenv("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "huggingface", "hub");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    }

    /** System property {@code unmask.cache}, else {@code $UNMASK_CACHE}, else {@code ~/.cache/unmask}. */
    public static Path defaultUnmaskCache() {
        String property = System.getProperty("unmask.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("UNMASK_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "unmask");
    }

    /** Finds the model {@code ref} names; see the class doc for the order. */
    public ResolvedModel resolve(String ref) throws ModelException {
        String r = ref == null ? "" : ref.trim();
        List<String> looked = new ArrayList<>();
        if (!r.isEmpty()) {
            Optional<ResolvedModel> byPath = fromPath(r, looked);
            if (byPath.isPresent()) {
                return byPath.get();
            }
        }
        boolean isDefault = EmbeddedBertCheckpoint.isDefaultRef(r);
        List<String> hubIds = isDefault
                ? List.of("bert-base-uncased", "google-bert/bert-base-uncased")
                : HUB_ID.matcher(r).matches() ? List.of(r) : List.of();
        for (String id : hubIds) {
            Optional<ResolvedModel> cached = fromHfCache(id, looked);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        if (isDefault) {
            return new ResolvedModel(EmbeddedBertCheckpoint.MODEL_ID, embedded.ensure(), SOURCE_EMBEDDED);
        }
        if (hubIds.isEmpty()) {
            looked.add("'" + r + "' is neither an existing path nor a hub id like 'org/name'");
        }
        throw new ModelException("model '" + r + "' not found; looked in: " + String.join("; ", looked), howTo());
    }

    private Optional<ResolvedModel> fromPath(String r, List<String> looked) throws ModelException {
        Path path;
        try {
            path = expandHome(r);
        } catch (java.nio.file.InvalidPathException e) {
            looked.add("path '" + r + "' (not a valid path)");
            return Optional.empty();
        }
        if (!Files.exists(path)) {
            if (looksLikePath(r)) {
                throw new ModelException(
                        "model folder " + path.toAbsolutePath().normalize() + " does not exist",
                        "check the path; " + howTo());
            }
            looked.add("path " + path.toAbsolutePath().normalize() + " (does not exist)");
            return Optional.empty();
        }
        Path dir = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ModelException(
                    dir + " is a file, not a model folder", "give the folder that holds config.json and the weights");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new ModelException(
                    dir + " is not a Hugging Face model folder: it has no config.json",
                    "give the folder that holds config.json, model.safetensors and the tokenizer files");
        }
        return Optional.of(new ResolvedModel(idOfFolder(dir), dir, SOURCE_PATH));
    }

    /** The folder name, or {@code org/name} for a snapshot folder inside a Hugging Face cache. */
    static String idOfFolder(Path dir) {
        Path parent = dir.getParent();
        Path repo = parent == null ? null : parent.getParent();
        if (repo != null
                && parent.getFileName().toString().equals("snapshots")
                && repo.getFileName().toString().startsWith("models--")) {
            return repo.getFileName().toString().substring("models--".length()).replace("--", "/");
        }
        Path name = dir.getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    private Optional<ResolvedModel> fromHfCache(String id, List<String> looked) {
        Path repo = hfHubCache.resolve("models--" + id.replace("/", "--"));
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            looked.add("Hugging Face cache " + repo + " (absent)");
            return Optional.empty();
        }
        Optional<String> main = readRef(repo.resolve("refs").resolve("main"));
        if (main.isPresent()
                && Files.isRegularFile(snapshots.resolve(main.get()).resolve("config.json"))) {
            Path snapshot = snapshots.resolve(main.get());
            return Optional.of(new ResolvedModel(id, snapshot, SOURCE_HF_CACHE + "@" + main.get()));
        }
        Optional<Path> newest = newestSnapshotWithConfig(snapshots);
        if (newest.isPresent()) {
            String rev = newest.get().getFileName().toString();
            return Optional.of(new ResolvedModel(id, newest.get(), SOURCE_HF_CACHE + "@" + rev));
        }
        looked.add("Hugging Face cache " + snapshots + " (no snapshot with config.json)");
        return Optional.empty();
    }

    private static Optional<String> readRef(Path refFile) {
        try {
            String rev = Files.readString(refFile, StandardCharsets.UTF_8).trim();
            return rev.isEmpty() || rev.contains("/") || rev.contains("\\") ? Optional.empty() : Optional.of(rev);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> newestSnapshotWithConfig(Path snapshots) {
        try (Stream<Path> revs = Files.list(snapshots)) {
            return revs.filter(p -> Files.isRegularFile(p.resolve("config.json")))
                    .max(Comparator.comparing(ModelResolver::modifiedMillis).thenComparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long modifiedMillis(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private String howTo() {
        return "give the path of a Hugging Face model folder (with config.json and model.safetensors), or put the "
                + "model into the Hugging Face cache at " + hfHubCache + " (e.g. huggingface-cli download <id> on a "
                + "machine with network, then copy its hub folder; HF_HOME/HF_HUB_CACHE select another cache)";
    }

    private static boolean looksLikePath(String r) {
        return r.startsWith("/")
                || r.startsWith("./")
                || r.startsWith("../")
                || r.startsWith("~")
                || r.startsWith(".")
                || r.contains("\\")
                || r.split("/").length > 2
                || r.endsWith("/");
    }

    private static Path expandHome(String r) {
        if (r.equals("~") || r.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + r.substring(1));
        }
        return Path.of(r);
    }
}
