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

/**
 * Binds {@link ContainerMemoryMetrics} into the application's own Micrometer registries, with
 * no change to the application (issue 6). Every registry gets the meters no later than its
 * first publish or scrape, and within a few seconds of its creation when nothing publishes it.
 *
 * <h2>Design</h2>
 * <ol>
 *   <li><b>The agent thread, at set-up</b> (after its start delay), installs one plain-JDK
 *       {@link ClassFileTransformer}, the name watcher: per class load, one
 *       {@code startsWith("io/")} and {@code return null}; a Micrometer class load is only
 *       noted. Micrometer classes loaded before the set-up are caught up as after an attach.
 *       When Micrometer is on the system class path, the instrumenter is built at once.</li>
 *   <li><b>Micrometer shows up</b> (the first {@code io.micrometer} class in any loader: Spring
 *       Boot's {@code LaunchedClassLoader} loads Micrometer's observation classes long before any
 *       registry): at the next tick the sampler has the {@value MicrometerThread#NAME} daemon
 *       thread build the {@link Instrumenter} (plain ASM from Byte Buddy's nested jar, a few tens
 *       of milliseconds; see {@link TransformerLifecycle}), so it is usually ready before the
 *       first registry class loads. No application thread ever builds it or waits for it.</li>
 *   <li><b>The classes that hold {@link HookPoint}s</b> ({@code MeterRegistry},
 *       {@code CompositeMeterRegistry}, the Prometheus registries and the Prometheus client's
 *       registries) are instrumented as they are defined when the instrumenter is ready, else
 *       by the catch-up, which closes the window in between ({@link TransformerLifecycle}).
 *       Every registry constructor then ends in {@link RegistryHook#created}: every registry,
 *       of every subclass and class loader, runs that one constructor. Why not a subtype
 *       matcher: it would resolve the hierarchy of every class the application loads. Why not
 *       bind inside the constructor: the subclass is not initialised yet nor configured.</li>
 *   <li><b>Binding</b> ({@link Bindings}): {@value Bindings#SETTLE_MILLIS} ms after the
 *       constructor on our thread (after frameworks have added common tags and filters); at
 *       once, on the publishing thread, when the registry is published or scraped first
 *       ({@code getMeters()}, {@code scrape(..)}, the Prometheus client's own
 *       {@code scrape()}/{@code metricFamilySamples()}); soon, on our thread, when it is queried
 *       or added to a composite. Composites are not bound: their members get the meters.</li>
 *   <li><b>Class loaders</b>: the binder is compiled against Micrometer, so a {@link BridgeLoader}
 *       whose parent is the loader of the application's {@code MeterRegistry} defines it from the
 *       agent jar's bytes; every other {@code dev.headroom} class comes from the agent's loader,
 *       so it reads the one sampler's {@code Assessment}. The instrumenter and ASM are defined by
 *       a {@link NestedJarLoader} that only the transformer holds, and unloaded once it is
 *       dropped. The code copied into Micrometer's classes uses JDK types only and finds
 *       {@link RegistryHook} by name through the system class loader, where the JVM puts every
 *       agent jar (premain and attach alike).</li>
 * </ol>
 * Not found: a registry created before its class was instrumented (before the agent's set-up,
 * about 0.2 s after the JVM starts, or before a dynamic attach) that is never added to a
 * composite, never published, scraped or queried; bind those with
 * {@code new ContainerMemoryMetrics().bindTo(registry)}. {@code micrometer=false} installs
 * nothing. A failure anywhere is reported once, in one line, and never reaches the application.
 */
public final class MicrometerSupport {

    private MicrometerSupport() {
    }

    /** Called on the agent thread at start: must stay cheap (nothing loaded unless Micrometer is present). */
    public static void install(Config config, final Sampler sampler, Instrumentation instrumentation, LogSink sink,
                               LogLines lines, boolean attached) {
        if (instrumentation == null || config == null || !config.micrometer() || sampler == null) {
            return;
        }
        Problems problems = new Problems(sink, lines);
        MicrometerThread thread = new MicrometerThread();
        Bindings bindings = new Bindings(sampler, problems, thread, Bindings.SETTLE_MILLIS);
        TransformerLifecycle lifecycle = new TransformerLifecycle(instrumentation, bindings, problems, thread);
        RegistryHook.bindings = bindings;
        Watcher watcher = new Watcher(lifecycle, problems);
        instrumentation.addTransformer(watcher, true);
        // the agent sets up after its start delay: a Micrometer class the application loaded
        // before is caught up like after an attach (listed after the watcher is in place, so a
        // class loaded in between is seen by one or the other)
        if (attached || micrometerLoaded(instrumentation)) {
            lifecycle.micrometerSeen();
            lifecycle.catchUpNow();
        } else {
            lifecycle.probeClassPath();
        }
        sampler.addListener(new Handoff(lifecycle, bindings, watcher));
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
     * On the sampler thread, every tick: passes on what the watcher and the hooks noted, so the
     * work it starts (our thread, the instrumenter) never runs on the application thread that
     * loaded the class or created the registry.
     */
    static final class Handoff implements AssessmentListener {
        private final TransformerLifecycle lifecycle;
        private final Bindings bindings;
        private final Watcher watcher;
        private boolean seen;

        Handoff(TransformerLifecycle lifecycle, Bindings bindings, Watcher watcher) {
            this.lifecycle = lifecycle;
            this.bindings = bindings;
            this.watcher = watcher;
        }

        @Override
        public void onAssessment(Assessment assessment) {
            if (!seen && watcher.seen) {
                seen = true;
                lifecycle.micrometerSeen();
            }
            lifecycle.onTick();
            bindings.onTick();
        }
    }

    /**
     * The name watcher: a prefix compare per class load. A Micrometer class load is only noted
     * (for {@link Handoff}); a target class is handed to the transformer as it is defined (when
     * the transformer is ready) and on every retransformation.
     */
    static final class Watcher implements ClassFileTransformer {
        private final TransformerLifecycle lifecycle;
        private final Problems problems;
        volatile boolean seen;

        Watcher(TransformerLifecycle lifecycle, Problems problems) {
            this.lifecycle = lifecycle;
            this.problems = problems;
        }

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (className == null || !className.startsWith("io/")) {
                return null;
            }
            boolean micrometer = className.startsWith("io/micrometer/");
            if (!micrometer && !className.startsWith("io/prometheus/")) {
                return null;
            }
            try {
                if (micrometer && classBeingRedefined == null) {
                    seen = true;
                }
                if (!HookPoint.isTarget(className)) {
                    return null;
                }
                if (classBeingRedefined != null) {
                    // a retransformation (ours, from the headroom-micrometer thread, or anyone's)
                    ClassFileTransformer t = lifecycle.retransforming(classBeingRedefined);
                    return t == null ? null
                            : t.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
                }
                return lifecycle.defining(loader, className, protectionDomain, classfileBuffer);
            } catch (Throwable t) {
                problems.error("watch", "could not instrument " + className + ": " + t);
                return null;
            }
        }
    }
}
