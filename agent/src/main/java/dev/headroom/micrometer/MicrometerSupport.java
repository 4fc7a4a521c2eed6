package dev.headroom.micrometer;

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
 *   <li><b>Premain</b> installs one plain-JDK {@link ClassFileTransformer}, the name watcher. For
 *       every class load it compares the name's prefix with {@code io/micrometer/} and returns
 *       null: no Byte Buddy, no bytes copied. If Micrometer is on the system class path, a
 *       short-lived daemon thread builds the Byte Buddy transformer right away, in parallel with
 *       the application's start (a plain class path check; nothing is loaded when it is absent).</li>
 *   <li><b>First {@code io.micrometer} class</b> (in any class loader, e.g. Spring Boot's
 *       nested-jar {@code LaunchedClassLoader}, where Micrometer's observation classes load long
 *       before any registry): the {@value Registries#THREAD_NAME} thread builds the transformer
 *       ({@link Instrumenter}: one AgentBuilder, name-only matchers, Byte Buddy shaded to
 *       {@code dev.headroom.shaded.bytebuddy}), off the application's threads.</li>
 *   <li><b>{@code io.micrometer.core.instrument.MeterRegistry} itself</b>: the watcher hands its
 *       bytes to that transformer (waiting for it if it is still being built, the only case
 *       where Byte Buddy work can land on an application thread). Every registry constructor
 *       then ends in {@link RegistryHook#created}: since every registry, of every subclass and
 *       class loader, runs that constructor, none is missed, and no other class is ever
 *       transformed. Why not a subtype matcher: it would resolve the hierarchy of every class
 *       the application loads. Why not bind in the constructor: the subclass is not
 *       initialised yet (PrometheusMeterRegistry's collector registry is still null).</li>
 *   <li><b>Binding</b> happens {@value Registries#SETTLE_MILLIS} ms later on the
 *       {@value Registries#THREAD_NAME} thread, after frameworks have configured the registry
 *       (common tags, filters). Composites are skipped (their members are registries too, and
 *       get the meters themselves), so the children of {@code Metrics.globalRegistry} are
 *       covered. A weak identity set keeps a registry from being bound twice.</li>
 *   <li><b>Class loaders</b>: the binder is compiled against Micrometer, so it is defined by a
 *       {@link BridgeLoader} whose parent is the loader of the application's
 *       {@code MeterRegistry}, from the agent jar's bytes; every other {@code dev.headroom} class
 *       comes from the agent's loader, so it reads the one sampler's {@code Assessment}. One
 *       bridge per Micrometer loader; nothing is injected into the bootstrap loader and no file
 *       is written. The advice copied into MeterRegistry uses JDK types only and finds
 *       {@link RegistryHook} through the system class loader, where the JVM puts every agent
 *       jar (premain and dynamic attach alike).</li>
 *   <li><b>Dynamic attach</b>: the loaded {@code MeterRegistry} (and the Prometheus registries)
 *       are retransformed; every registry reachable from {@code Metrics.globalRegistry} (in
 *       every loader that has loaded {@code Metrics}, composites walked) is bound at once; and
 *       any other existing registry is bound the first time it is published
 *       ({@code getMeters()}, which push registries and Actuator's metrics endpoint call) or
 *       scraped ({@code PrometheusMeterRegistry.scrape}). Not found: an existing registry that
 *       is neither in the global registry nor ever published nor scraped (a registry used only
 *       to record), which nobody reads anyway.</li>
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
        final Registries registries = new Registries(new LatestOf(sampler), instrumentation, sink, lines,
                Registries.SETTLE_MILLIS);
        RegistryHook.registries = registries;
        instrumentation.addTransformer(new Watcher(registries), true);
        if (attached) {
            registries.afterAttach();
        } else {
            Thread probe = new Thread(new Runnable() {
                @Override
                public void run() {
                    registries.probeClassPath();
                }
            }, Registries.THREAD_NAME + "-probe");
            probe.setDaemon(true);
            probe.start();
        }
    }

    /** The sampler's latest assessment; a class, not a lambda, to keep premain lean. */
    static final class LatestOf implements Supplier<Assessment> {
        private final Sampler sampler;

        LatestOf(Sampler sampler) {
            this.sampler = sampler;
        }

        @Override
        public Assessment get() {
            return sampler.latest();
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
                    ClassFileTransformer t = target ? registries.readyTransformer() : null;
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
