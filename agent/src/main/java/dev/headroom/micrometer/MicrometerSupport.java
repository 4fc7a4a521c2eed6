package dev.headroom.micrometer;

import dev.headroom.agent.AssessmentListener;
import dev.headroom.agent.Config;
import dev.headroom.agent.LogSink;
import dev.headroom.agent.Sampler;
import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.function.Supplier;

/**
 * Binds {@link ContainerMemoryMetrics} into the application's own Micrometer registries, with
 * no change to the application (issue 6).
 *
 * <h2>Design</h2>
 * <ol>
 *   <li><b>Premain</b> installs one plain-JDK {@link ClassFileTransformer}, the name watcher: per
 *       class load, one {@code startsWith("io/micrometer/")} and {@code return null}. No Byte
 *       Buddy, no bytes copied. The sampler's first tick checks whether Micrometer is on the system
 *       class path (one resource lookup); nothing is loaded when it is not.</li>
 *   <li><b>Micrometer shows up</b> (on the system class path, or the first {@code io.micrometer}
 *       class in any loader: Spring Boot's {@code LaunchedClassLoader} loads Micrometer's
 *       observation classes long before any registry): the {@value Registries#THREAD_NAME}
 *       daemon thread builds the transformer ({@link Instrumenter}: one AgentBuilder, name-only
 *       matchers, Byte Buddy shaded to {@code dev.headroom.shaded.bytebuddy}). Byte Buddy is one
 *       nested jar in the agent jar, defined in memory by a {@link NestedJarLoader} that only the
 *       transformer holds; the transformer is dropped once the loaded targets are instrumented,
 *       so Byte Buddy's classes are unloaded, and rebuilt when a new Micrometer loader shows
 *       up.</li>
 *   <li><b>{@code MeterRegistry} (or a Prometheus registry) is loaded</b>: the watcher only
 *       notes it; the {@value Registries#THREAD_NAME} thread retransforms it. No application
 *       thread ever runs or waits for Byte Buddy (measured: building it costs 1 to 3 s of CPU on
 *       a busy 2-core machine; waiting for it inside the first registry's class load stalled
 *       the application by as much). From then on every registry constructor ends in
 *       {@link RegistryHook#created}: every registry, of every subclass and class loader, runs
 *       that one constructor, so only that one class is transformed. Why not a subtype
 *       matcher: it would resolve the hierarchy of every class the application loads. Why not
 *       bind inside the constructor: the subclass is not initialised yet (the Prometheus
 *       registry's collector registry is still null) nor configured.</li>
 *   <li><b>Registries created before that</b> (while Byte Buddy started, or before a dynamic
 *       attach): right after instrumenting, every registry reachable from
 *       {@code Metrics.globalRegistry} in every loader that loaded {@code Metrics} is bound
 *       (Spring Boot adds its registries there by default); any other is bound the first time
 *       it is published ({@code MeterRegistry.getMeters()}: push registries, Actuator's metrics
 *       endpoint, {@code registry.find(..)}) or scraped ({@code PrometheusMeterRegistry.scrape}),
 *       which both hand it to {@link RegistryHook#seen}. Not found: a registry created before the
 *       instrumentation that is never in the global registry, never published and never
 *       scraped through {@code scrape()} (e.g. exposed only through
 *       {@code getPrometheusRegistry()} to a separate HTTP server); bind those explicitly with
 *       {@code new ContainerMemoryMetrics().bindTo(registry)}.</li>
 *   <li><b>Binding</b> happens on the {@value Registries#THREAD_NAME} thread,
 *       {@value Registries#SETTLE_MILLIS} ms after a constructor (after frameworks have added
 *       common tags and filters) or at once for a published registry. Composites are not bound
 *       (their members are registries and get the meters themselves; a composite that is seen
 *       has its members bound), so the children of {@code Metrics.globalRegistry} are covered. A
 *       weak identity set keeps a registry from being bound twice; registries are only ever
 *       weakly held.</li>
 *   <li><b>Class loaders</b>: the binder is compiled against Micrometer, so a {@link BridgeLoader}
 *       whose parent is the loader of the application's {@code MeterRegistry} defines it from the
 *       agent jar's bytes; every other {@code dev.headroom} class comes from the agent's loader,
 *       so it reads the one sampler's {@code Assessment}. One bridge per Micrometer loader;
 *       nothing injected into the bootstrap loader, no file written. The advice copied into
 *       Micrometer's classes uses JDK types only and finds {@link RegistryHook} by name through
 *       the system class loader, where the JVM puts every agent jar (premain and attach alike).</li>
 * </ol>
 * {@code micrometer=false} installs nothing. A failure anywhere is reported once on the log
 * sink and never reaches the application.
 */
public final class MicrometerSupport {

    private MicrometerSupport() {
    }

    /** Called from premain/agentmain: must stay cheap (no Byte Buddy unless Micrometer is present). */
    public static void install(Config config, final Sampler sampler, Instrumentation instrumentation, LogSink sink,
                               LogLines lines, boolean attached) {
        if (instrumentation == null || config == null || !config.micrometer() || sampler == null) {
            return;
        }
        final Registries registries = new Registries(sampler, instrumentation, sink, lines,
                Registries.SETTLE_MILLIS);
        RegistryHook.registries = registries;
        instrumentation.addTransformer(new Watcher(registries), true);
        if (attached) {
            registries.afterAttach();
        } else {
            // the class path probe runs on the sampler's first tick: no thread of its own
            sampler.addListener(new ProbeOnce(registries));
        }
    }

    /** Looks for Micrometer on the system class path once, from the sampler thread. */
    static final class ProbeOnce implements AssessmentListener {
        private final Registries registries;
        private volatile boolean done;

        ProbeOnce(Registries registries) {
            this.registries = registries;
        }

        @Override
        public void onAssessment(Assessment assessment) {
            if (!done) {
                done = true;
                registries.probeClassPath();
            }
        }
    }

    /** The name watcher: a prefix compare per class load; everything else only once Micrometer is there. */
    static final class Watcher implements ClassFileTransformer {
        private final Registries registries;

        Watcher(Registries registries) {
            this.registries = registries;
        }

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (className == null || !className.startsWith("io/micrometer/")) {
                return null;
            }
            try {
                boolean target = Registries.isTarget(className);
                if (classBeingRedefined != null) {
                    // a retransformation (ours, from the headroom-micrometer thread, or anyone's)
                    ClassFileTransformer t = target ? registries.readyTransformer(classBeingRedefined) : null;
                    return t == null ? null
                            : t.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
                }
                registries.micrometerSeen();
                if (target) {
                    registries.targetLoaded();
                }
            } catch (Throwable t) {
                registries.error("watch", "could not instrument " + className + ": " + t);
            }
            return null;
        }
    }
}
