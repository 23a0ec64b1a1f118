package org.unmask.cli.mitigate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.mitigation.cda.AugmentStats;
import org.unmask.mitigation.cda.CdaOptions;
import org.unmask.mitigation.cda.CdaTransform;
import org.unmask.mitigation.cda.CorpusAugmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask augment}: counterfactual data augmentation of a text/JSONL corpus. */
@Command(
        name = "augment",
        mixinStandardHelpOptions = true,
        description = {
            "Counterfactual data augmentation: swap gendered words (he<->she, man<->woman, ...) in a "
                    + "corpus, two-sided, with shipped MIT word lists.",
            "Input: a .txt/.jsonl file (optionally .gz) or a folder of them. Output format follows --out's name."
        })
public final class AugmentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<in>", description = "input file or folder of shards")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "<file>", description = "output file (.jsonl, .txt, .gz)")
    Path out;

    @Option(
            names = "--field",
            defaultValue = "text",
            description = "JSON field holding the text (default: ${DEFAULT-VALUE})")
    String field;

    @Option(names = "--keep-originals", description = "emit each original before its counterfactual")
    boolean keepOriginals;

    @Option(names = "--drop-unswapped", description = "drop documents without any gendered word")
    boolean dropUnswapped;

    @Option(names = "--anonymize", description = "replace e-mails, phone numbers and listed first names first")
    boolean anonymize;

    @Option(names = "--with-bolukbasi", description = "add the 12 Bolukbasi et al. 2016 equalize pairs")
    boolean bolukbasi;

    @Override
    public Integer call() throws UnmaskException {
        CdaOptions opts = new CdaOptions(
                keepOriginals,
                dropUnswapped,
                anonymize,
                bolukbasi ? CdaOptions.WordLists.WINOBIAS_BOLUKBASI : CdaOptions.WordLists.WINOBIAS);
        AugmentStats s;
        try {
            s = new CorpusAugmenter(new CdaTransform(opts), field).run(in, out);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot augment " + in + " into " + out + ": " + e.getMessage(),
                    "check that the input is readable and the output folder writable",
                    e);
        }
        var w = spec.commandLine().getOut();
        w.println(s.summary());
        for (String ex : s.skipExamples()) {
            w.println("  skipped " + ex);
        }
        w.println("wrote " + out + " (provenance: " + out.getFileName() + ".provenance.json)");
        return s.skipped() > 0 ? ExitCode.PARTIAL.code() : ExitCode.OK.code();
    }
}
