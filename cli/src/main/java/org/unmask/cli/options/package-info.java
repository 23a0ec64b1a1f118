/**
 * The options several commands share, declared once as picocli mixins ({@link ModelOption},
 * {@link BackendOption}, {@link SeedOption}, {@link OutOption}, {@link JsonOption}, {@link QuietOption},
 * {@link BatchSizeOption}), and the one validation path of numeric options ({@link Range}, {@link OptionRanges}).
 *
 * <p>A command that needs its own wording of a shared option's help keeps the mixin and overrides the text in its
 * resource bundle (the {@code descriptionKey} of the option, e.g. {@code unmask.seed}), so names, defaults and help
 * stay as users know them while the declaration exists once.
 */
package org.unmask.cli.options;
