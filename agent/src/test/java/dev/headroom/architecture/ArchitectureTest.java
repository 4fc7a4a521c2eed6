package dev.headroom.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering of ARCHITECTURE.md, enforced: dependencies point one way, from the
 * files up to the sinks, the wiring and the entry points. Each layer may use only the layers
 * listed before it.
 */
class ArchitectureTest {

    /** Bottom first: name and packages of each layer. */
    static final String[][] LAYERS = {
            {"base", "dev.headroom.io..", "dev.headroom.parse..", "dev.headroom.text..", "dev.headroom.loading.."},
            {"public interfaces", "dev.headroom.jmx..", "dev.headroom.api.."},
            {"sample", "dev.headroom.sample.."},
            {"readers", "dev.headroom.cgroup..", "dev.headroom.proc..", "dev.headroom.jvm.."},
            {"analysis", "dev.headroom.analysis.."},
            {"report", "dev.headroom.report.."},
            {"runtime", "dev.headroom.runtime.."},
            {"sinks", "dev.headroom.sink.."},
            {"agent", "dev.headroom.agent.."},
            {"library", "dev.headroom.micrometer.."},
            {"cli", "dev.headroom.cli.."},
    };

    /** What applications may use (ARCHITECTURE.md, "Public API"); every other package is internal. */
    static final String[] PUBLIC = {"dev.headroom.api..", "dev.headroom.jmx..", "dev.headroom.micrometer.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // the agent's own classes only (the examples' classes are on the test class path too)
        main = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    static LayeredArchitecture layers() {
        LayeredArchitecture a = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] layer : LAYERS) {
            a = a.layer(layer[0]).definedBy(Arrays.copyOfRange(layer, 1, layer.length));
        }
        for (int i = 1; i < LAYERS.length; i++) {
            String[] below = new String[i];
            for (int j = 0; j < i; j++) {
                below[j] = LAYERS[j][0];
            }
            a = a.whereLayer(LAYERS[i][0]).mayOnlyAccessLayers(below);
        }
        return a.whereLayer(LAYERS[0][0]).mayNotAccessAnyLayer();
    }

    @Test
    void everyPackageBelongsToALayer() {
        List<String> known = new ArrayList<>();
        for (String[] layer : LAYERS) {
            known.addAll(Arrays.asList(layer).subList(1, layer.length));
        }
        classes().should().resideInAnyPackage(known.toArray(new String[0])).check(main);
    }

    @Test
    void dependenciesPointDownTheLayers() {
        layers().check(main);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.headroom.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void sinksDoNotKnowEachOther() {
        slices().matching("dev.headroom.sink.(*)..").should().notDependOnEachOther().check(main);
    }

    @Test
    void onlyTheFlightRecorderSinkSeesJfr() {
        // its classes are Java 11 bytecode, loaded only on 11+ (JfrSupport): nothing else may name jdk.jfr
        noClasses().that().resideOutsideOfPackages("dev.headroom.sink.jfr..")
                .should().dependOnClassesThat().resideInAPackage("jdk.jfr..")
                .check(main);
    }

    @Test
    void onlyTheMicrometerBindingSeesMicrometer() {
        noClasses().that().resideOutsideOfPackages("dev.headroom.sink.micrometer..", "dev.headroom.micrometer..")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(main);
    }

    @Test
    void publicApiExposesNoInternalType() {
        classes().that().resideInAnyPackage(PUBLIC).and().arePublic()
                .should(exposeOnlyPublicTypes()).check(main);
    }

    /**
     * Every public or protected field, constructor and method of the class names (in its types,
     * type arguments included) only JDK or library types and types of the public packages.
     */
    static ArchCondition<JavaClass> exposeOnlyPublicTypes() {
        return new ArchCondition<JavaClass>("expose no internal dev.headroom type in a public signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaField f : c.getFields()) {
                    if (visible(f.getModifiers())) {
                        report(c, f.getFullName(), f.getType(), events);
                    }
                }
                for (JavaCodeUnit u : c.getCodeUnits()) {
                    if (!visible(u.getModifiers()) || u.getName().startsWith("lambda$")) {
                        continue;
                    }
                    report(c, u.getFullName(), u.getReturnType(), events);
                    for (JavaType p : u.getParameterTypes()) {
                        report(c, u.getFullName(), p, events);
                    }
                }
                for (JavaType t : c.getInterfaces()) {
                    report(c, c.getName() + " implements", t, events);
                }
            }
        };
    }

    private static boolean visible(java.util.Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void report(JavaClass owner, String where, JavaType type, ConditionEvents events) {
        for (JavaClass t : type.getAllInvolvedRawTypes()) {
            String p = t.getPackageName();
            if (p.startsWith("dev.headroom.") && !isPublic(p)) {
                events.add(SimpleConditionEvent.violated(owner, where + " exposes internal " + t.getName()));
            }
        }
    }

    private static boolean isPublic(String packageName) {
        for (String p : PUBLIC) {
            String base = p.substring(0, p.length() - 2);
            if (packageName.equals(base) || packageName.startsWith(base + ".")) {
                return true;
            }
        }
        return false;
    }
}
