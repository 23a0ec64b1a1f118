package org.unmask.probes.suite;

import java.util.List;

/**
 * A sentence with slots: {@code [GROUP]} (a group term), {@code [TARGET]} (a target word; {@code [OCCUPATION]} and
 * {@code [ATTRIBUTE]} are aliases) and {@code [MASK]} (the word the model predicts).
 *
 * @param id stable id, used by measures and in reports
 * @param text the template, slots normalised to {@code [GROUP]}, {@code [TARGET]}, {@code [MASK]}
 * @param paraphrases rewritten versions of the same template (same slots), resampled together with it
 * @param line the line of the template in its suite file, for messages
 */
public record Template(String id, String text, List<String> paraphrases, int line) {
    public static final String GROUP = "[GROUP]";
    public static final String TARGET = "[TARGET]";
    public static final String MASK = "[MASK]";

    public Template {
        paraphrases = List.copyOf(paraphrases);
    }

    /** The template and its paraphrases, the template first. */
    public List<String> versions() {
        List<String> out = new java.util.ArrayList<>();
        out.add(text);
        out.addAll(paraphrases);
        return out;
    }

    public boolean has(String slot) {
        return text.contains(slot);
    }
}
