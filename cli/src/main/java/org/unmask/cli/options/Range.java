package org.unmask.cli.options;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a numeric command-line option (an {@code int}, {@code long}, {@code double}, their boxes,
 * or an array or list of them, each element checked). {@link OptionRanges} checks every annotated option of the
 * command about to run, in one place, before the command does any work; doubles must also be finite.
 *
 * <p>Bounds are inclusive unless {@link #minExclusive()} or {@link #maxExclusive()} says otherwise; a missing bound
 * is infinite. Every numeric option of every command carries one (a test walks the command tree to keep it so).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Range {
    /** Smallest allowed value. */
    double min() default Double.NEGATIVE_INFINITY;

    /** Largest allowed value. */
    double max() default Double.POSITIVE_INFINITY;

    /** Whether {@link #min()} itself is excluded, as the learning rate's 0. */
    boolean minExclusive() default false;

    /** Whether {@link #max()} itself is excluded, as a dropout's 1. */
    boolean maxExclusive() default false;
}
