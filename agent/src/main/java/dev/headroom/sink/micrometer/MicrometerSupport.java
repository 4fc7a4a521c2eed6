package dev.headroom.sink.micrometer;

import dev.headroom.loading.BridgeLoader;
import dev.headroom.loading.NestedJarLoader;
import dev.headroom.micrometer.ContainerMemoryMetrics;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Sampler;
import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Binds {@link ContainerMemoryMetrics} into the application's own Micrometer registries, with
 * no change to the application (issue 6).
 *
 * <h2>Design</h2>
 * <ol>
 *   <li><b>The agent thread, at set-up</b> (after its start delay), installs one plain-JDK
 *       {@link ClassFileTransformer}, the name watcher: per class load, one
 *       {@code startsWith("io/micrometer/")} and {@code return null}; a Micrometer class load is
 *       only noted in a field. No Byte Buddy, no bytes copied, no thread started on the
 *       application's thread. Micrometer classes loaded before the set-up are caught up as after
 *       an attach. The sampler's first tick checks whether Micrometer is on the system class
 *       path (one resource lookup); nothing is loaded when it is not.</li>
 *   <li><b>Micrometer shows up</b> (on the system class path, or the first {@code io.micrometer}
 *       class in any loader: Spring Boot's {@code LaunchedClassLoader} loads Micrometer's
 *       observation classes long before any registry): at the next tick the sampler starts the
 *       {@value Registries#THREAD_NAME} daemon thread, which builds the transformer
 *       ({@link Instrumenter}: one AgentBuilder, name-only matchers, Byte Buddy shaded to
 *       {@code dev.headroom.shaded.bytebuddy}). Byte Buddy is one nested jar in the agent jar,
 *       defined in memory by a {@link NestedJarLoader} that only the transformer holds; the
 *       transformer is dropped once the loaded targets are instrumented, so Byte Buddy's classes
 *       are unloaded, and rebuilt when a new Micrometer loader shows up.</li>
 *   <li><b>{@code MeterRegistry} (or a Prometheus registry) is loaded</b>: the watcher only
 *       notes it; from the next tick the {@value Registries#THREAD_NAME} thread retransforms it. No application
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

    /** Called on the agent thread at start: must stay cheap (no Byte Buddy unless Micrometer is present). */
    public static void install(Config config, final Sampler sampler, Instrumentation instrumentation, LogSink sink,
                               LogLines lines, boolean attached) {
        if (instrumentation == null || config == null || !config.micrometer() || sampler == null) {
            return;
        }
        final Registries registries = new Registries(sampler, instrumentation, sink, lines,
                Registries.SETTLE_MILLIS);
        RegistryHook.registries = registries;
        Watcher watcher = new Watcher(registries);
        instrumentation.addTransformer(watcher, true);
        // the agent sets up after its start delay: a Micrometer class the application loaded
        // before is caught up like after an attach
        if (attached || micrometerLoaded(instrumentation)) {
            registries.afterAttach();
        }
        sampler.addListener(new Handoff(registries, watcher, !attached));
    }

    private static boolean micrometerLoaded(Instrumentation instrumentation) {
        Class<?>[] loaded = instrumentation.getAllLoadedClasses();
        if (loaded == null) {
            return false; // the JVM is shutting down
        }
        for (Class<?> c : loaded) {
            if (c.getName().startsWith("io.micrometer.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * On the sampler thread, every tick: passes on what the watcher noted, so the work it starts
     * (a thread, Byte Buddy) never runs on the application thread that loaded the class, and
     * looks for Micrometer on the system class path at the first tick.
     */
    static final class Handoff implements AssessmentListener {
        private final Registries registries;
        private final Watcher watcher;
        private boolean probe;
        private boolean seen;

        Handoff(Registries registries, Watcher watcher, boolean probe) {
            this.registries = registries;
            this.watcher = watcher;
            this.probe = probe;
        }

        @Override
        public void onAssessment(Assessment assessment) {
            if (probe) {
                probe = false;
                registries.probeClassPath();
            }
            if (!seen && watcher.seen) {
                seen = true;
                registries.micrometerSeen();
            }
            for (int n = watcher.targets.getAndSet(0); n > 0; n--) {
                registries.targetLoaded();
            }
            registries.onTick();
        }
    }

    /**
     * The name watcher: a prefix compare per class load. A Micrometer class load is only noted
     * (for {@link Handoff}); a retransformation of a target is handed to the transformer.
     */
    static final class Watcher implements ClassFileTransformer {
        private final Registries registries;
        volatile boolean seen;
        /** Target class loads not yet passed on. */
        final AtomicInteger targets = new AtomicInteger();

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
                seen = true;
                if (target) {
                    targets.incrementAndGet();
                }
            } catch (Throwable t) {
                registries.error("watch", "could not instrument " + className + ": " + t);
            }
            return null;
        }
    }
}
