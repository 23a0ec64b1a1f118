package org.unmask.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method that loads a real model: the embedded bert-base-uncased (converted once into the
 * cache, then hundreds of MB of weights per load) or the bundled all-MiniLM-L6-v2. These tests are the slow part of
 * the suite; the quick loop skips them with {@code mvn verify -DexcludedGroups=real-model}, CI runs them all.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(RealModel.TAG)
public @interface RealModel {
    /** The JUnit tag, for {@code -Dgroups} / {@code -DexcludedGroups}. */
    String TAG = "real-model";
}
