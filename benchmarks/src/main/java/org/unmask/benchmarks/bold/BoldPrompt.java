package org.unmask.benchmarks.bold;

/**
 * One BOLD prompt.
 *
 * @param domain {@code gender} or {@code profession}
 * @param group the BOLD group (e.g. {@code American_actresses}, {@code nursing_specialties})
 * @param page the Wikipedia page the prompt was cut from; prompts of one page are correlated
 * @param text the prompt, as BOLD ships it (usually with a trailing space)
 */
public record BoldPrompt(String domain, String group, String page, String text) {
    /** {@code domain/group}, the group id results use. */
    public String groupId() {
        return domain + "/" + group;
    }
}
