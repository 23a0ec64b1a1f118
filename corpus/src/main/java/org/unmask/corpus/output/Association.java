package org.unmask.corpus.output;

import java.util.OptionalDouble;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.Proportions;

/**
 * Gender association of one occupation at one counting level (sentence, document or window).
 *
 * <p>From the units (sentences, documents or mentions) that mention the occupation together with words of only
 * one gender — m male-only, f female-only, n = m + f (Thaler et al. 2024 exclude units with both genders):
 * <ul>
 *   <li>{@code pctFemale} = 100 f / n, with a 95% Wilson score interval (core {@code Proportions.wilson});
 *   <li>{@code tvdUniform} = total variation distance between (f/n, m/n) and (½, ½) = |f/n − ½|; 0 = balanced,
 *       ideal; 0.5 = one gender only;
 *   <li>{@code tvdReference} = TVD against the real-world (BLS) share r: |f/n − r| in [0, 1]; 0 = the data mirror
 *       the workforce.
 * </ul>
 * Undefined values (n = 0, no reference) are empty.
 */
public record Association(
        long male,
        long female,
        OptionalDouble pctFemale,
        OptionalDouble ciLow,
        OptionalDouble ciHigh,
        OptionalDouble tvdUniform,
        OptionalDouble tvdReference) {

    public long n() {
        return male + female;
    }

    public static Association of(long male, long female, OptionalDouble referencePct) {
        long n = male + female;
        if (n == 0) {
            OptionalDouble e = OptionalDouble.empty();
            return new Association(male, female, e, e, e, e, e);
        }
        double p = female / (double) n;
        Interval wilson = Proportions.wilson(female, n);
        OptionalDouble ref = referencePct.isPresent()
                ? OptionalDouble.of(Math.abs(p - referencePct.getAsDouble() / 100.0))
                : OptionalDouble.empty();
        return new Association(
                male,
                female,
                OptionalDouble.of(100 * p),
                OptionalDouble.of(100 * wilson.lower()),
                OptionalDouble.of(100 * wilson.upper()),
                OptionalDouble.of(Math.abs(p - 0.5)),
                ref);
    }
}
