package dev.headroom.sink.micrometer;

import dev.headroom.loading.NestedJarLoader;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The only class that touches Byte Buddy (shaded to {@code dev.headroom.shaded.bytebuddy}).
 * Loaded on first need, never on the premain path. Builds ONE AgentBuilder with name-only
 * matchers and turns it into a raw transformer that {@link MicrometerSupport}'s name watcher
 * calls for the few class names it cares about, and only while the {@code headroom-micrometer}
 * thread retransforms them; the AgentBuilder is never installed itself, so no other class load
 * and no application thread ever reaches Byte Buddy.
 *
 * <p>What it does to those classes (no new fields or methods: retransformation only):
 * <ul>
 *   <li>{@code MeterRegistry}: every constructor, on exit, hands {@code this} to
 *       {@link RegistryHook#created}. Every registry goes through that constructor, whatever its
 *       subclass or class loader, composites included.</li>
 *   <li>{@code MeterRegistry.getMeters()} and the Prometheus registries' {@code scrape(..)} hand
 *       {@code this} to {@link RegistryHook#seen} on entry, so a registry created before the
 *       instrumentation (before a dynamic attach, or while Byte Buddy was still starting) is found
 *       the first time it is published or scraped. Cost per call: a few microseconds.</li>
 * </ul>
 * The advice code is copied into those classes, so it uses JDK types only and reaches the hook
 * by name through the system class loader, where the JVM always puts an agent jar.
 *
 * <p>Never loaded by the agent's own loader: {@link NestedJarLoader} defines it, with its nested
 * classes, next to the Byte Buddy it defines from the nested jar, and {@link Registries} calls
 * {@link #build} reflectively (hence public). It uses nothing of its package at run time but
 * compile-time constants, so it works from that other loader.
 */
public final class Instrumenter {

    private Instrumenter() {
    }

    public static ClassFileTransformer build(Consumer<String> errors) {
        final Advice created = Advice.to(CreatedAdvice.class);
        final Advice seen = Advice.to(SeenAdvice.class);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new ErrorListener(errors))
                .ignore(none())
                .type(named(Registries.METER_REGISTRY))
                .transform(new AgentBuilder.Transformer() {
                    @Override
                    public DynamicType.Builder<?> transform(DynamicType.Builder<?> b, TypeDescription type,
                                                            ClassLoader loader, JavaModule module,
                                                            java.security.ProtectionDomain domain) {
                        return b.visit(created.on(isConstructor()))
                                .visit(seen.on(named("getMeters").and(takesArguments(0))));
                    }
                })
                .type(named(Registries.PROMETHEUS).or(named(Registries.PROMETHEUS_METRICS)))
                .transform(new AgentBuilder.Transformer() {
                    @Override
                    public DynamicType.Builder<?> transform(DynamicType.Builder<?> b, TypeDescription type,
                                                            ClassLoader loader, JavaModule module,
                                                            java.security.ProtectionDomain domain) {
                        return b.visit(seen.on(named("scrape")));
                    }
                })
                .makeRaw();
    }

    /** Copied into every MeterRegistry constructor: JDK types only. */
    static final class CreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object registry) throws Exception {
            ClassLoader.getSystemClassLoader().loadClass("dev.headroom.sink.micrometer.RegistryHook")
                    .getMethod("created", Object.class).invoke(null, registry);
        }
    }

    /** Copied into getMeters()/scrape(..): JDK types only. */
    static final class SeenAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object registry) throws Exception {
            ClassLoader.getSystemClassLoader().loadClass("dev.headroom.sink.micrometer.RegistryHook")
                    .getMethod("seen", Object.class).invoke(null, registry);
        }
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        private final Consumer<String> errors;

        ErrorListener(Consumer<String> errors) {
            this.errors = errors;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            errors.accept("could not instrument " + typeName + ": " + throwable);
        }
    }
}
