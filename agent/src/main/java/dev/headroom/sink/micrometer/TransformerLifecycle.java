package dev.headroom.sink.micrometer;

import dev.headroom.loading.NestedJarLoader;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The instrumentation's life cycle: builds the {@link Instrumenter} (ASM from the nested jar, in
 * a loader only the transformer holds), instruments the classes that hold {@link HookPoint}s,
 * and drops the transformer again so the loader and its classes can be unloaded.
 *
 * <p>A target class loaded while the transformer exists is instrumented as it is defined (by
 * the name watcher, on the loading thread: one class rewrite, no registry can exist before). One
 * loaded before or while it was being built is instrumented by the catch-up on the
 * {@value MicrometerThread#NAME} thread, which then closes the window in between:
 * <ol>
 *   <li>it lists the loaded targets only once the transformer is built (a class loaded during
 *       the build is not missed), retransforms them, and loads the other hook classes from the
 *       same class loaders (defined, not initialised) so that they are instrumented now too;</li>
 *   <li>it repeats until a pass finds nothing new;</li>
 *   <li>then, with {@code CompositeMeterRegistry.add} instrumented, it walks
 *       {@code Metrics.globalRegistry} of every loaded {@code Metrics}: a registry added before is
 *       found there, one added after by the hook; a registry created in the window and never
 *       added to a composite is bound when first published, scraped or queried.</li>
 * </ol>
 * A target load the watcher passed on before the transformer was ready is looked for again
 * (100 ms apart, {@value #RETRIES} times: a class shows up in getAllLoadedClasses only once
 * defined); the transformer is kept until then. A transformer built ahead (Micrometer seen, no
 * target yet) and unused for {@value #IDLE_RELEASE_MILLIS} ms is dropped. Someone else's
 * retransformation of an instrumented class while the transformer is gone would strip the hooks:
 * the class is instrumented again, and the transformer kept from then on.
 */
final class TransformerLifecycle {

    /** A name, never a class literal: the agent's loader cannot link a class compiled against ASM. */
    static final String INSTRUMENTER = "dev.headroom.sink.micrometer.Instrumenter";
    static final String METRICS = "io.micrometer.core.instrument.Metrics";
    /** A transformer built ahead (Micrometer seen, nothing to instrument yet) is dropped after this. */
    static final long IDLE_RELEASE_MILLIS = 60_000;
    private static final int RETRIES = 10;
    private static final int MAX_PASSES = 5;

    private final Instrumentation instrumentation;
    private final Bindings bindings;
    private final Problems problems;
    private final MicrometerThread thread;

    private volatile ClassFileTransformer transformer;
    private boolean transformerFailed;
    private boolean everBuilt;
    private volatile boolean prewarmRequested;
    private ScheduledFuture<?> idleRelease;
    /** Set when someone else's retransformation ran without our transformer: keep it from then on. */
    private volatile boolean keepTransformer;
    /** Someone else's retransformation stripped our hooks: catch up at the next tick. */
    private volatile boolean catchUpRequested;
    private final AtomicBoolean catchUpScheduled = new AtomicBoolean();
    private int retries;

    /** Target classes retransformed by us. */
    private final Map<Class<?>, Boolean> instrumented = Collections.synchronizedMap(new WeakHashMap<Class<?>, Boolean>());
    /** Target class names instrumented as they were defined, per loader. */
    private final Map<ClassLoader, Set<String>> instrumentedAtLoad = new WeakHashMap<>();
    /** Loaders whose other hook classes the catch-up has loaded. */
    private final Map<ClassLoader, Boolean> siblingsLoaded = new WeakHashMap<>();
    /** Target loads the watcher passed on without instrumenting (the transformer was not ready). */
    private final ConcurrentLinkedQueue<PassedLoad> passed = new ConcurrentLinkedQueue<>();

    TransformerLifecycle(Instrumentation instrumentation, Bindings bindings, Problems problems, MicrometerThread thread) {
        this.instrumentation = instrumentation;
        this.bindings = bindings;
        this.problems = problems;
        this.thread = thread;
    }

    // ---- the watcher, on the thread that loads a class ---------------------------------------

    /** A target class is being defined: instrumented now if the transformer is ready, else noted. */
    byte[] defining(ClassLoader loader, String className, ProtectionDomain domain, byte[] bytes) throws Exception {
        ClassFileTransformer t = transformer;
        if (t == null) {
            passed.add(new PassedLoad(loader, className.replace('/', '.')));
            return null;
        }
        long start = System.nanoTime();
        byte[] result = t.transform(loader, className, null, domain, bytes);
        problems.debug("instrumented " + className.replace('/', '.') + " as it was defined, on "
                + Thread.currentThread().getName() + ", in " + (System.nanoTime() - start) / 1000 + " us");
        if (result != null && loader != null) {
            synchronized (instrumentedAtLoad) {
                Set<String> names = instrumentedAtLoad.get(loader);
                if (names == null) {
                    names = new HashSet<>();
                    instrumentedAtLoad.put(loader, names);
                }
                names.add(className.replace('/', '.'));
            }
        }
        return result;
    }

    /**
     * A retransformation of a target (ours or anyone's): the transformer if built, else null;
     * never waits, never builds. Null for a class we had instrumented means that retransformation
     * strips our hooks: the class is instrumented again from our thread.
     */
    ClassFileTransformer retransforming(Class<?> retransformed) {
        ClassFileTransformer t = transformer;
        if (t == null && !transformerFailed && retransformed != null && instrumented.remove(retransformed) != null) {
            keepTransformer = true;
            catchUpRequested = true; // scheduled by the sampler's next tick, not on this thread
        }
        return t;
    }

    // ---- the sampler thread -----------------------------------------------------------------

    /** Micrometer was seen: build the transformer on our thread, once, ahead of need. */
    void micrometerSeen() {
        if (!prewarmRequested) {
            prewarmRequested = true;
            thread.execute(new Runnable() {
                @Override
                public void run() {
                    prewarm();
                }
            });
        }
    }

    /** Every tick: catches up with what the watcher passed on, or with a foreign retransformation. */
    void onTick() {
        if (!passed.isEmpty()) {
            micrometerSeen();
            scheduleCatchUp(0);
        }
        if (catchUpRequested) {
            catchUpRequested = false;
            scheduleCatchUp(100);
        }
    }

    /** At set-up: when Micrometer is on the system class path, build the transformer now. */
    void probeClassPath() {
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            if (system != null && system.getResource("io/micrometer/core/instrument/MeterRegistry.class") != null) {
                micrometerSeen();
            }
        } catch (Throwable t) {
            problems.error("probe", "class path probe failed: " + t);
        }
    }

    /** After a dynamic attach, or Micrometer loaded before the set-up: instrument what is loaded. */
    void catchUpNow() {
        scheduleCatchUp(0);
    }

    private void scheduleCatchUp(long delayMillis) {
        if (catchUpScheduled.compareAndSet(false, true)) {
            thread.schedule(new Runnable() {
                @Override
                public void run() {
                    catchUpScheduled.set(false);
                    catchUp();
                }
            }, delayMillis);
        }
    }

    // ---- the headroom-micrometer thread -------------------------------------------------------

    private synchronized void prewarm() {
        if (!everBuilt) {
            transformer();
        }
    }

    /** The transformer, built on first call; null if it could not be. */
    synchronized ClassFileTransformer transformer() {
        if (transformer == null && !transformerFailed) {
            everBuilt = true;
            CatchUpPause.at(CatchUpPause.Step.BUILD);
            try {
                long start = System.nanoTime();
                // ASM and Instrumenter from the nested jar, in a loader only the transformer holds
                Class<?> instrumenter = NestedJarLoader.forByteBuddy(TransformerLifecycle.class.getClassLoader(),
                        INSTRUMENTER).loadClass(INSTRUMENTER);
                Consumer<String> errors = new Consumer<String>() {
                    @Override
                    public void accept(String problem) {
                        problems.error("instrument", problem);
                    }
                };
                transformer = (ClassFileTransformer) instrumenter.getMethod("build", Consumer.class).invoke(null, errors);
                checkHookReachable();
                problems.debug("instrumenter ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                if (idleRelease == null && !keepTransformer) {
                    idleRelease = thread.schedule(new Runnable() {
                        @Override
                        public void run() {
                            releaseIfIdle();
                        }
                    }, IDLE_RELEASE_MILLIS);
                }
            } catch (Throwable t) {
                transformerFailed = true;
                problems.error("instrument", "the instrumenter could not start, no automatic binding: "
                        + Problems.cause(t));
            }
        }
        return transformer;
    }

    /**
     * The instrumented classes find {@link RegistryHook} through the system class loader; if that
     * is not this very class (a system class loader that does not hold the agent jar), every
     * hook call would fail silently inside its guard: say so instead.
     */
    private void checkHookReachable() {
        Class<?> found;
        try {
            found = Class.forName(Instrumenter.HOOK, false, ClassLoader.getSystemClassLoader());
        } catch (Throwable t) {
            found = null;
        }
        if (found != RegistryHook.class) {
            problems.error("hook", "the system class loader does not reach the agent's " + Instrumenter.HOOK
                    + (found == null ? "" : " (it has another copy)") + ": registries cannot report themselves,"
                    + " no automatic binding; bind with new ContainerMemoryMetrics().bindTo(registry)");
        }
    }

    /** Drops the transformer (and with it the nested loader and ASM) when nothing waits for it. */
    synchronized void releaseIfIdle() {
        if (idleRelease != null) {
            idleRelease.cancel(false);
            idleRelease = null;
        }
        if (transformer != null && !keepTransformer && passed.isEmpty() && !catchUpScheduled.get()) {
            transformer = null;
            problems.debug("Byte Buddy released (the instrumenter and its ASM)");
        }
    }

    /** Instruments every loaded target, then binds what the global registries hold. */
    void catchUp() {
        boolean retransformFailed = false;
        for (int pass = 0; pass < MAX_PASSES && !retransformFailed; pass++) {
            if (uninstrumentedTargets().isEmpty()) {
                break;
            }
            if (transformer() == null) {
                passed.clear(); // reported: waiting changes nothing
                return;
            }
            CatchUpPause.at(CatchUpPause.Step.INSTRUMENT);
            // listed now, after the build: a class loaded meanwhile is in the list
            List<Class<?>> targets = uninstrumentedTargets();
            retransformFailed = !retransform(targets);
            loadSiblings(targets);
        }
        CatchUpPause.at(CatchUpPause.Step.WALK);
        walkGlobalRegistries();
        if (resolvePassedLoads() && !retransformFailed) {
            if (retries++ < RETRIES) {
                scheduleCatchUp(100); // a class the watcher saw is still being defined
                return;
            }
            problems.debug("gave up waiting for " + passed.size() + " Micrometer class load(s) to complete");
            passed.clear();
        }
        if (retransformFailed) {
            passed.clear();
        }
        retries = 0;
        releaseIfIdle();
    }

    private boolean retransform(List<Class<?>> targets) {
        if (targets.isEmpty()) {
            return true;
        }
        if (!instrumentation.isRetransformClassesSupported()) {
            problems.error("retransform", "cannot instrument " + targets + ", loaded before the agent set up: this JVM"
                    + " does not retransform classes, so their registries are not bound automatically; bind them"
                    + " with new ContainerMemoryMetrics().bindTo(registry)");
            return false;
        }
        try {
            long start = System.nanoTime();
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            for (Class<?> c : targets) {
                instrumented.put(c, Boolean.TRUE);
            }
            problems.debug("instrumented " + targets + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return true;
        } catch (Throwable t) {
            problems.error("retransform", "could not instrument the loaded Micrometer classes " + targets + ": " + t);
            return false;
        }
    }

    /** Loads (without initialising) the other hook classes next to each instrumented one. */
    private void loadSiblings(List<Class<?>> targets) {
        for (Class<?> target : targets) {
            ClassLoader loader = target.getClassLoader();
            if (loader == null) {
                continue;
            }
            synchronized (siblingsLoaded) {
                if (siblingsLoaded.put(loader, Boolean.TRUE) != null) {
                    continue;
                }
            }
            for (String name : HookPoint.classNames()) {
                try {
                    Class.forName(name, false, loader); // instrumented by the watcher as it is defined
                } catch (Throwable notThere) {
                    // that registry or client is not in this application
                }
            }
        }
    }

    /** Loaded target classes not instrumented yet. */
    private List<Class<?>> uninstrumentedTargets() {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : loaded()) {
            String name = c.getName();
            if (name.startsWith("io.") && HookPoint.isTarget(name.replace('.', '/'))
                    && !instrumented.containsKey(c) && !instrumentedAtLoad(c)) {
                targets.add(c);
            }
        }
        return targets;
    }

    private boolean instrumentedAtLoad(Class<?> c) {
        synchronized (instrumentedAtLoad) {
            Set<String> names = c.getClassLoader() == null ? null : instrumentedAtLoad.get(c.getClassLoader());
            return names != null && names.contains(c.getName());
        }
    }

    /** Binds the registries in every loaded {@code Metrics.globalRegistry}. */
    private void walkGlobalRegistries() {
        for (Class<?> c : loaded()) {
            if (c.getName().equals(METRICS)) {
                try {
                    bindings.walk(c.getField("globalRegistry").get(null));
                } catch (Throwable t) {
                    problems.error("global", "could not read Metrics.globalRegistry: " + t);
                }
            }
        }
    }

    /** Drops the passed-on loads that are instrumented by now; true if some are not defined yet. */
    private boolean resolvePassedLoads() {
        for (Iterator<PassedLoad> it = passed.iterator(); it.hasNext(); ) {
            PassedLoad load = it.next();
            ClassLoader loader = load.loader.get();
            if (load.loaderWasNull ? false : loader == null) {
                it.remove(); // the loader is gone
                continue;
            }
            for (Class<?> c : loaded()) {
                if (c.getName().equals(load.name) && c.getClassLoader() == loader
                        && (instrumented.containsKey(c) || instrumentedAtLoad(c))) {
                    it.remove();
                    break;
                }
            }
        }
        return !passed.isEmpty();
    }

    private Class<?>[] loaded() {
        Class<?>[] all = instrumentation.getAllLoadedClasses();
        return all == null ? new Class<?>[0] : all; // null: the JVM is shutting down
    }

    /** A target class load the watcher saw before the transformer was ready. */
    private static final class PassedLoad {
        final WeakReference<ClassLoader> loader;
        final boolean loaderWasNull;
        final String name;

        PassedLoad(ClassLoader loader, String name) {
            this.loader = new WeakReference<>(loader);
            this.loaderWasNull = loader == null;
            this.name = name;
        }
    }
}
