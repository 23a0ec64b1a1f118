package org.unmask.core.result;

/**
 * One named decoding setting of a {@code generation} measure (e.g. Thaler et al. 2024's default, T = 0.7,
 * top-p 0.9 and top-k 40).
 *
 * @param name stable name, in reports and as part of every sample's seed
 * @param temperature softmax temperature; 0 = greedy (one continuation per prompt, since all samples would agree)
 * @param topK keep only the k most likely tokens (0 = off)
 * @param topP nucleus mass in (0, 1] (1 = off)
 */
public record Decoding(String name, double temperature, int topK, double topP) {
    /** Plain sampling from the model's distribution: T = 1, no truncation. */
    public static final Decoding DEFAULT = new Decoding("default", 1, 0, 1);

    public boolean greedy() {
        return temperature == 0;
    }
}
