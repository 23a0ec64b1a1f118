package org.unmask.corpus;

import java.nio.file.Path;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;

/**
 * The corpus engine as {@code unmask corpus stats} runs it (count with checkpoints, then write the outputs), as a
 * main for a child JVM that {@link CorpusChaosTest} kills with SIGKILL. Arguments: corpus folder, output folder,
 * threads. Prints the run's status and exits 0 when it got to the end.
 */
public final class CorpusChild {
    private CorpusChild() {}

    public static void main(String[] args) throws Exception {
        CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
        Path out = Path.of(args[1]);
        CorpusRun run = new LocalEngine(spec, new LocalOptions(Integer.parseInt(args[2]), null, 0))
                .run(CorpusFiles.list(Path.of(args[0])), out);
        new StatsReport(run).write(out);
        System.out.println("status " + run.status() + ", reused " + run.reusedShards());
    }
}
