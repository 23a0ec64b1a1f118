package org.unmask.corpus;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared test corpora: {@code shared/corpora} beside the repository (walking up from the module). */
public final class TestCorpora {
    private TestCorpora() {}

    public static Path dir(String name) {
        Path d = Path.of("").toAbsolutePath();
        for (Path p = d; p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("corpora").resolve(name);
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("test corpus shared/corpora/" + name + " not found in any parent of " + d
                + ": check out the shared data folder beside the repository (../shared/corpora)");
    }
}
