package org.unmask.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.archfixture.CoreThatLoadsAModel;

/**
 * The layering rules of ARCHITECTURE.md, checked on the compiled main classes of every module: dependencies point
 * inward (front doors → app → engine modules → core; the server reaches the engine only through app), only
 * {@code models} touches tensors, only {@code spark} uses Spark,
 * and an {@code internal} package is used only inside its own module. The poms must agree (the dependency plugin's
 * analysis fails the build on an unused or undeclared module edge), so an edge cannot be added in one place only.
 */
class ArchitectureTest {
    /** The Unmask modules each module's main code may use; anything else under org.unmask is a violation. */
    static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("core", Set.of());
        MAY_USE.put("models", Set.of("core"));
        MAY_USE.put("probes", Set.of("core"));
        MAY_USE.put("benchmarks", Set.of("core"));
        MAY_USE.put("corpus", Set.of("core"));
        MAY_USE.put("mitigation", Set.of("core"));
        MAY_USE.put("report", Set.of("core", "benchmarks"));
        MAY_USE.put("app", Set.of("core", "models", "probes", "corpus", "mitigation", "report"));
        MAY_USE.put("server", Set.of("core", "app"));
        MAY_USE.put("spark", Set.of("core", "corpus", "mitigation"));
        MAY_USE.put(
                "cli",
                Set.of("core", "models", "probes", "benchmarks", "corpus", "mitigation", "report", "app", "server"));
    }

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.unmask");
    }

    static List<ArchRule> rules() {
        List<ArchRule> rules = new ArrayList<>();
        for (Map.Entry<String, Set<String>> module : MAY_USE.entrySet()) {
            String[] forbidden = MAY_USE.keySet().stream()
                    .filter(other ->
                            !other.equals(module.getKey()) && !module.getValue().contains(other))
                    .map(other -> "org.unmask." + other + "..")
                    .toArray(String[]::new);
            if (forbidden.length == 0) {
                continue;
            }
            rules.add(noClasses()
                    .that()
                    .resideInAPackage("org.unmask." + module.getKey() + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden)
                    .as(module.getKey() + " uses only " + module.getValue())
                    .allowEmptyShould(true));
            rules.add(classes()
                    .that()
                    .resideInAPackage("org.unmask." + module.getKey() + ".internal..")
                    .should()
                    .onlyBeAccessed()
                    .byAnyPackage("org.unmask." + module.getKey() + "..")
                    .as(module.getKey() + "'s internal packages are used only inside " + module.getKey())
                    .allowEmptyShould(true));
        }
        rules.add(noClasses()
                .that()
                .resideOutsideOfPackage("org.unmask.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "ai.onnxruntime..")
                .as("only models touches tensors and their runtimes"));
        rules.add(noClasses()
                .that()
                .resideOutsideOfPackage("org.unmask.spark..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "scala..")
                .as("only spark uses Spark"));
        return rules;
    }

    @Test
    void everyModuleKeepsToItsLayer() {
        assertTrue(mainClasses.size() > 300, "imported the main classes of every module: " + mainClasses.size());
        for (ArchRule rule : rules()) {
            rule.check(mainClasses);
        }
    }

    @Test
    void aCoreClassThatUsesModelsOrTensorsIsRejected() {
        JavaClasses violating = new ClassFileImporter().importClasses(CoreThatLoadsAModel.class);
        long rejected = rules().stream()
                .filter(rule -> !rule.evaluate(violating).getFailureReport().isEmpty())
                .count();
        assertTrue(rejected >= 2, "the layer rule and the tensor rule both reject it; rejected by " + rejected);
        assertThrows(AssertionError.class, () -> rules().forEach(rule -> rule.check(violating)));
    }

    @Test
    void everyTopLevelMainClassHasItsOwnSimpleName() {
        // one name, one thing: an import of the wrong BertConfig or Checkpoints compiles and misleads
        Map<String, Set<String>> byName = new TreeMap<>();
        mainClasses.stream()
                .filter(c -> c.isTopLevelClass() && !c.getSimpleName().equals("package-info"))
                .forEach(c -> byName.computeIfAbsent(c.getSimpleName(), k -> new TreeSet<>())
                        .add(c.getName()));
        Map<String, Set<String>> shared = new TreeMap<>();
        byName.forEach((name, owners) -> {
            if (owners.size() > 1) {
                shared.put(name, owners);
            }
        });
        assertEquals(Map.of(), shared, "simple names used by more than one main class");
    }

    @Test
    void tensorTimesANumberGoesThroughScalarsInTheForwardAndTrainingCode() {
        // DJL's mul/div/pow(Number) wrap the number in a tensor they free on return while autograd still holds it:
        // a GC before backward made gradients read freed memory (NaN or silently wrong; GradientsSurvive...Test)
        noClasses()
                .that()
                .resideInAnyPackage("org.unmask.models.djl..")
                .and()
                .doNotHaveSimpleName("Scalars")
                .should()
                .callMethod(ai.djl.ndarray.NDArray.class, "mul", Number.class)
                .orShould()
                .callMethod(ai.djl.ndarray.NDArray.class, "div", Number.class)
                .orShould()
                .callMethod(ai.djl.ndarray.NDArray.class, "pow", Number.class)
                .as("tensor-by-number products in models.djl go through Scalars")
                .check(mainClasses);
    }
}
