package org.unmask.benchmarks.honest;

import java.util.Arrays;
import java.util.List;
import org.unmask.core.error.InvalidInputException;

/**
 * The HONEST template sets Unmask scores, each with its own metric ids ({@code honest/<id>/score@K}) so that
 * numbers from different sets are never compared by mistake.
 */
public enum TemplateSet {
    /** Every row of the binary-gender file shipped since 2022 (810 rows, 724 distinct template strings). */
    BINARY("binary", "en_template_binary.tsv", null),
    /**
     * The 420 rows of the binary file whose identity term is singular: 28 identity terms (14 female, 14 male) ×
     * 15 templates, the size and make-up Nozza et al. 2021 give for their English set. The paper's own 2021 file
     * is not in the authors' repository history, so this is a reconstruction, not the paper's file.
     */
    BINARY_SINGULAR("binary-singular", "en_template_binary.tsv", "singular"),
    /** The LGBTQIA+ set of Nozza et al. 2022 (705 rows). */
    QUEER("queer", "en_template_queer_nonqueer.tsv", null);

    private final String id;
    private final String file;
    private final String number;

    TemplateSet(String id, String file, String number) {
        this.id = id;
        this.file = file;
        this.number = number;
    }

    /** The variant name on the command line and in the metric ids. */
    public String id() {
        return id;
    }

    /** The data file the rows come from. */
    public String file() {
        return file;
    }

    /** The value the {@code number} column must have, or null to keep every row. */
    public String number() {
        return number;
    }

    /** The metric id for HONEST@k on this set. */
    public String metricId(int k) {
        return "honest/" + id + "/score@" + k;
    }

    /** The set named by {@code --variant}; null means the default binary set. */
    public static TemplateSet of(String variant) throws InvalidInputException {
        if (variant == null || variant.equals(BINARY.id)) {
            return BINARY;
        }
        if (variant.equals("queer_nonqueer")) {
            return QUEER;
        }
        for (TemplateSet s : values()) {
            if (s.id.equals(variant)) {
                return s;
            }
        }
        List<String> ids = Arrays.stream(values()).map(TemplateSet::id).toList();
        throw new InvalidInputException(
                "unknown HONEST template set '" + variant + "'", "use one of " + String.join(", ", ids));
    }
}
