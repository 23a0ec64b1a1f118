package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;

class ModelResolverTest {
    @TempDir
    Path tmp;

    private Path hub;
    private Path cache;
    private final List<String> notices = new ArrayList<>();
    private ModelResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        hub = Files.createDirectories(tmp.resolve("hf/hub"));
        cache = tmp.resolve("unmask");
        Path zip = new TfBundleFixture().writeZip(tmp.resolve("bundle.zip"));
        resolver = new ModelResolver(
                hub,
                new EmbeddedBertCheckpoint(cache, notices::add, () -> SavedModelArchive.ofZipFile(zip, "synthetic")));
    }

    private static Path hfFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"bert\"}");
        return dir;
    }

    private Path snapshot(String repo, String rev) throws IOException {
        return hfFolder(hub.resolve(repo).resolve("snapshots").resolve(rev));
    }

    @Test
    void explicitFolderWithConfigIsUsedAsIs() throws Exception {
        Path dir = hfFolder(tmp.resolve("my-model"));
        ResolvedModel m = resolver.resolve(dir.toString());
        assertEquals(new ResolvedModel("my-model", dir.toAbsolutePath(), ModelResolver.SOURCE_PATH), m);
    }

    @Test
    void explicitPathWinsOverTheDefaultEvenWhenNamedLikeIt() throws Exception {
        Path dir = hfFolder(tmp.resolve("bert-base-uncased"));
        assertEquals(ModelResolver.SOURCE_PATH, resolver.resolve(dir.toString()).source());
        assertTrue(notices.isEmpty(), "nothing converted");
    }

    @Test
    void explicitHfSnapshotFolderIsNamedAfterItsRepository() throws Exception {
        Path snap = snapshot("models--acme--tiny-bert", "0123abcd");
        ResolvedModel m = resolver.resolve(snap.toString());
        assertEquals(new ResolvedModel("acme/tiny-bert", snap, ModelResolver.SOURCE_PATH), m);
    }

    @Test
    void folderWithoutConfigIsAClearError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("not-a-model"));
        ModelException e = assertThrows(ModelException.class, () -> resolver.resolve(dir.toString()));
        assertTrue(
                e.getMessage().contains(dir.toString()) && e.getMessage().contains("no config.json"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("weights.bin"), "x");
        ModelException f = assertThrows(ModelException.class, () -> resolver.resolve(file.toString()));
        assertTrue(f.getMessage().contains("is a file"), f.getMessage());
        ModelException g = assertThrows(
                ModelException.class,
                () -> resolver.resolve(tmp.resolve("nowhere").toString()));
        assertTrue(g.getMessage().contains("does not exist"), g.getMessage());
    }

    @Test
    void hubIdIsFoundInTheHfCachePreferringRefsMain() throws Exception {
        String repo = "models--acme--tiny-bert";
        Path older = snapshot(repo, "aaaa");
        Path main = snapshot(repo, "bbbb");
        Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() + 60_000)); // newer mtime
        Files.createDirectories(hub.resolve(repo).resolve("refs"));
        Files.writeString(hub.resolve(repo).resolve("refs/main"), "bbbb\n");
        ResolvedModel m = resolver.resolve("acme/tiny-bert");
        assertEquals(new ResolvedModel("acme/tiny-bert", main, "hf-cache@bbbb"), m);
    }

    @Test
    void withoutRefsMainTheNewestSnapshotWithConfigIsUsed() throws Exception {
        String repo = "models--acme--tiny-bert";
        Path a = snapshot(repo, "aaaa");
        Path b = snapshot(repo, "bbbb");
        Files.createDirectories(hub.resolve(repo).resolve("snapshots/cccc")); // no config.json: ignored
        Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Files.setLastModifiedTime(b, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertEquals(a, resolver.resolve("acme/tiny-bert").dir());
    }

    @Test
    void defaultNameFoundInHfCacheBeatsTheEmbeddedCopy() throws Exception {
        Path snap = snapshot("models--google-bert--bert-base-uncased", "abc123");
        ResolvedModel m = resolver.resolve("bert-base-uncased");
        assertEquals(snap, m.dir());
        assertEquals("hf-cache@abc123", m.source());
        assertTrue(notices.isEmpty());
    }

    @Test
    void defaultRefsWithoutHfCacheUseTheConvertedEmbeddedCheckpoint() throws Exception {
        Path expected = cache.resolve("models/bert-base-uncased").toAbsolutePath();
        for (String ref : new String[] {null, "", "bert-base-uncased", "google-bert/bert-base-uncased"}) {
            ResolvedModel m = resolver.resolve(ref);
            assertEquals(new ResolvedModel("bert-base-uncased", expected, ModelResolver.SOURCE_EMBEDDED), m);
        }
        assertTrue(Files.isRegularFile(expected.resolve("model.safetensors")));
        assertEquals(1, notices.size(), "converted once: " + notices);
    }

    @Test
    void unknownRefListsEveryPlaceLookedAndHowToProvideIt() {
        ModelException e = assertThrows(ModelException.class, () -> resolver.resolve("acme/missing-model"));
        String msg = e.getMessage();
        assertTrue(msg.contains("acme/missing-model"), msg);
        assertTrue(msg.contains("path " + Path.of("acme/missing-model").toAbsolutePath()), msg);
        assertTrue(msg.contains(hub.resolve("models--acme--missing-model").toString()), msg);
        assertTrue(e.hint().contains("Hugging Face model folder") && e.hint().contains("Hugging Face cache"), e.hint());
    }

    @Test
    void defaultCachesFollowTheEnvironmentConventions() {
        Path hubDefault = ModelResolver.defaultHfHubCache();
        assertTrue(hubDefault.endsWith("hub") || System.getenv("HF_HUB_CACHE") != null, hubDefault.toString());
        String old = System.getProperty("unmask.cache");
        try {
            System.setProperty("unmask.cache", tmp.toString());
            assertEquals(tmp, ModelResolver.defaultUnmaskCache());
        } finally {
            if (old == null) {
                System.clearProperty("unmask.cache");
            } else {
                System.setProperty("unmask.cache", old);
            }
        }
    }
}
