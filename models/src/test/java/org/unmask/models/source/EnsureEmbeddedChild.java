package org.unmask.models.source;

import java.nio.file.Path;
import org.unmask.core.error.ModelException;

/** Child-process entry of the cross-process race test: ensures the embedded checkpoint in the cache given. */
final class EnsureEmbeddedChild {
    private EnsureEmbeddedChild() {}

    public static void main(String[] args) throws ModelException {
        Path dir = new EmbeddedBertCheckpoint(Path.of(args[0]), n -> System.out.println("NOTICE " + n)).ensure();
        System.out.println("DIR " + dir);
    }
}
