package dev.headroom.sink.micrometer;

import dev.headroom.loading.BridgeLoader;
import dev.headroom.loading.NestedJarLoader;

import dev.headroom.runtime.LogSink;
import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent side of automatic binding: the lazily built Byte Buddy transformer, the queue of
 * registries to bind, and the binding itself, all on one daemon thread
 * ({@value #THREAD_NAME}) that exists only while there is work: it ends
 * {@value #KEEP_ALIVE_SECONDS} s after its last task and is started again by the next one.
 * Registries are held weakly everywhere; each is bound at most once.
 *
 * <p>The transformer lives only as long as it has work. Byte Buddy and {@link Instrumenter} are
 * defined by a {@link NestedJarLoader} that nothing but the transformer references; once the
 * loaded Micrometer classes are instrumented and no load the watcher saw is pending, the
 * transformer is dropped, so the loader, the nested jar's bytes and Byte Buddy's ~1100 classes
 * can be collected and unloaded. A transformer built ahead (Micrometer on the class path) that is
 * not used within {@value #IDLE_RELEASE_MILLIS} ms is dropped the same way. A later target class
 * (a second web application's Micrometer) rebuilds it on this thread. A retransformation of an
 * instrumented class by someone else while it is gone runs without it (our advice would be lost):
 * the class is instrumented again from this thread, and the transformer is kept from then on.
 */
final class Registries {

    /** A name, never a class literal: the agent's loader cannot link a class compiled against Byte Buddy. */
    static final String INSTRUMENTER = "dev.headroom.sink.micrometer.Instrumenter";

    static final String THREAD_NAME = "headroom-micrometer";
    static final String COMPOSITE = "io.micrometer.core.instrument.composite.CompositeMeterRegistry";
    static final String METRICS = "io.micrometer.core.instrument.Metrics";
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    static final String PROMETHEUS = "io.micrometer.prometheus.PrometheusMeterRegistry";
    static final String PROMETHEUS_METRICS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

    /** Internal names ({@code a/b/C}) of the classes the transformer instruments. */
    static boolean isTarget(String internalName) {
        return internalName.equals("io/micrometer/core/instrument/MeterRegistry")
                || internalName.equals("io/micrometer/prometheus/PrometheusMeterRegistry")
                || internalName.equals("io/micrometer/prometheusmetrics/PrometheusMeterRegistry");
    }

    /**
     * How long after its constructor a new registry is bound. Frameworks configure a registry
     * right after creating it (Spring Boot's MeterRegistryPostProcessor adds common tags and
     * filters); binding after that lets our meters get the same tags and filters, and keeps the
     * binding work off the thread that created the registry.
     */
    static final long SETTLE_MILLIS = 2000;
    private static final int LOGGED_BINDINGS = 10;
    /** How long the idle {@value #THREAD_NAME} thread lingers before it ends. */
    static final long KEEP_ALIVE_SECONDS = 3;
    /** A transformer built ahead (Micrometer seen, nothing to instrument yet) is dropped after this. */
    static final long IDLE_RELEASE_MILLIS = 60_000;
    /** -Dheadroom.micrometer.debug=true: log instrumentation timings. */
    private static final boolean DEBUG = Boolean.getBoolean("headroom.micrometer.debug");

    private final Supplier<Assessment> latest;
    private final Instrumentation instrumentation;
    private final LogSink sink;
    private final LogLines lines;
    private final long settleMillis;

    private final Map<Object, Boolean> bound = Collections.synchronizedMap(new WeakHashMap<Object, Boolean>());
    private final Map<Object, Boolean> queued = Collections.synchronizedMap(new WeakHashMap<Object, Boolean>());
    private final Map<ClassLoader, WeakReference<Class<?>>> binders = new WeakHashMap<>();
    private final Set<String> reported = Collections.synchronizedSet(new HashSet<String>());

    private final Map<Class<?>, Boolean> instrumented = Collections.synchronizedMap(new WeakHashMap<Class<?>, Boolean>());
    private final AtomicBoolean catchUpScheduled = new AtomicBoolean();
    /**
     * Target class loads the watcher saw that no catch-up has instrumented yet; a class shows up
     * in getAllLoadedClasses only once defined. The transformer is kept while this is above 0.
     */
    private final AtomicInteger pendingTargets = new AtomicInteger();
    private int catchUpRetries;
    /** Catch-up retries, 100 ms apart, for a class the watcher saw to be defined (it takes milliseconds). */
    private static final int RETRIES = 10;
    /** Set when someone else's retransformation ran without our transformer: keep it from then on. */
    private volatile boolean keepTransformer;
    private ScheduledFuture<?> idleRelease;

    private volatile ScheduledThreadPoolExecutor executor;
    private volatile boolean prewarmRequested;
    /** Set by the first build attempt: a later prewarm builds nothing. */
    private boolean everBuilt;
    /** Registries noted on application threads, scheduled by the sampler's next tick. */
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    /** Someone else's retransformation stripped our advice: catch up at the next tick. */
    private volatile boolean catchUpRequested;
    private volatile ClassFileTransformer transformer;
    private boolean transformerFailed;
    private long buildMillis;
    private int bindings;

    Registries(Supplier<Assessment> latest, Instrumentation instrumentation, LogSink sink, LogLines lines,
               long settleMillis) {
        this.latest = latest;
        this.instrumentation = instrumentation;
        this.sink = sink;
        this.lines = lines;
        this.settleMillis = settleMillis;
    }

    // ---- the transformer ------------------------------------------------------------------

    /** Micrometer was seen: build the Byte Buddy transformer on the background thread, once. */
    void micrometerSeen() {
        if (!prewarmRequested) {
            prewarmRequested = true;
            executor().execute(new Runnable() {
                @Override
                public void run() {
                    prewarm();
                }
            });
        }
    }

    /** A class to instrument was loaded (application thread): instrument it from our thread. */
    void targetLoaded() {
        pendingTargets.incrementAndGet();
        micrometerSeen();
        scheduleCatchUp();
    }

    /**
     * For a retransformation of a target class (ours or anyone's): the transformer if built, else
     * null; never waits, never builds. Null for a class we had instrumented means that
     * retransformation strips our advice: the class is instrumented again from our thread.
     */
    ClassFileTransformer readyTransformer(Class<?> retransformed) {
        ClassFileTransformer t = transformer;
        if (t == null && !transformerFailed && retransformed != null && instrumented.remove(retransformed) != null) {
            keepTransformer = true;
            pendingTargets.incrementAndGet();
            catchUpRequested = true; // scheduled by the sampler's next tick, not on this thread
        }
        return t;
    }

    /** Builds the transformer ahead of need, unless a catch-up already built it (and maybe released it). */
    private synchronized void prewarm() {
        if (!everBuilt) {
            transformer();
        }
    }

    /** The Byte Buddy transformer, built on first call (on the background thread); null if it failed. */
    synchronized ClassFileTransformer transformer() {
        if (transformer == null && !transformerFailed) {
            everBuilt = true;
            try {
                long start = System.nanoTime();
                // Byte Buddy and Instrumenter from the nested jar, in a loader only the transformer holds
                Class<?> instrumenter = NestedJarLoader.forByteBuddy(Registries.class.getClassLoader(), INSTRUMENTER)
                        .loadClass(INSTRUMENTER);
                Consumer<String> errors = new Consumer<String>() {
                    @Override
                    public void accept(String problem) {
                        error("instrument", problem);
                    }
                };
                transformer = (ClassFileTransformer) instrumenter.getMethod("build", Consumer.class)
                        .invoke(null, errors);
                buildMillis = (System.nanoTime() - start) / 1_000_000;
                if (idleRelease == null && !keepTransformer) {
                    idleRelease = executor().schedule(new Runnable() {
                        @Override
                        public void run() {
                            releaseIfIdle();
                        }
                    }, IDLE_RELEASE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (Throwable t) {
                Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                        ? t.getCause() : t;
                transformerFailed = true;
                error("instrument", "Byte Buddy could not start, no automatic binding: " + cause);
            }
        }
        return transformer;
    }

    /**
     * Drops the transformer (and with it the nested loader and Byte Buddy's classes) when no
     * class the watcher saw waits to be instrumented and no catch-up is queued; it is rebuilt on
     * demand. Runs on our thread, never during our own retransformation.
     */
    synchronized void releaseIfIdle() {
        if (idleRelease != null) {
            idleRelease.cancel(false);
            idleRelease = null;
        }
        if (transformer != null && !keepTransformer && pendingTargets.get() <= 0 && !catchUpScheduled.get()) {
            transformer = null;
            if (DEBUG) {
                sink.write(LogSink.Severity.INFO, lines.plain("INFO", "micrometer", "Byte Buddy released"));
            }
        }
    }

    /**
     * At the sampler's first tick: when Micrometer is on the system class path,
     * start building the transformer now, while the application starts. Nothing is loaded when
     * Micrometer is not there.
     */
    void probeClassPath() {
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            if (system != null && system.getResource("io/micrometer/core/instrument/MeterRegistry.class") != null) {
                micrometerSeen();
            }
        } catch (Throwable t) {
            error("probe", "class path probe failed: " + t);
        }
    }

    /** After a dynamic attach: instrument what is loaded and bind what exists, from our thread. */
    void afterAttach() {
        scheduleCatchUp();
    }

    private void scheduleCatchUp() {
        scheduleCatchUp(0);
    }

    private void scheduleCatchUp(long delayMillis) {
        if (catchUpScheduled.compareAndSet(false, true)) {
            executor().schedule(new Runnable() {
                @Override
                public void run() {
                    catchUpScheduled.set(false);
                    catchUp();
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * On the background thread: retransform the loaded Micrometer classes not instrumented yet
     * (new registries from then on are reported by their constructor), then bind every registry
     * reachable from {@code Metrics.globalRegistry} in every class loader that has loaded
     * Micrometer (registries created before, Spring Boot's included). Registries created before
     * and not in the global registry are bound on their first getMeters()/scrape().
     */
    void catchUp() {
        List<Class<?>> targets = new ArrayList<>();
        List<Class<?>> metrics = new ArrayList<>();
        Class<?>[] loaded = instrumentation.getAllLoadedClasses();
        if (loaded == null) {
            return; // the JVM is shutting down
        }
        for (Class<?> c : loaded) {
            String name = c.getName();
            if (!name.startsWith("io.micrometer.")) {
                continue;
            }
            if (isTarget(name.replace('.', '/'))) {
                if (!instrumented.containsKey(c)) {
                    targets.add(c);
                }
            } else if (name.equals(METRICS)) {
                metrics.add(c);
            }
        }
        int pending = pendingTargets.get();
        if (targets.isEmpty() && metrics.isEmpty()) {
            if (pending > 0) {
                retryOrGiveUp(pending); // the watcher saw it, but it is still being defined
            }
            return; // nothing of Micrometer's loaded yet: the name watcher calls again when it is
        }
        int done = 0;
        if (!targets.isEmpty() && transformer() != null && instrumentation.isRetransformClassesSupported()) {
            try {
                long start = System.nanoTime();
                instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
                for (Class<?> c : targets) {
                    instrumented.put(c, Boolean.TRUE);
                }
                done = targets.size();
                if (DEBUG) {
                    sink.write(LogSink.Severity.INFO, lines.plain("INFO", "micrometer", "instrumented " + targets
                            + " in " + (System.nanoTime() - start) / 1_000_000 + " ms (Byte Buddy ready in "
                            + buildMillis + " ms)"));
                }
            } catch (Throwable t) {
                error("retransform", "could not instrument the loaded Micrometer classes: " + t);
            }
        }
        if (done > 0) {
            pending = pendingTargets.addAndGet(-Math.min(done, pending));
        }
        if (pending > 0 && done < targets.size()) {
            // Byte Buddy or the retransformation failed (reported): trying again changes nothing
            pendingTargets.addAndGet(-pending);
            pending = 0;
        }
        if (pending > 0) {
            // a class the watcher saw is still being defined, or was counted after this catch-up
            // had already instrumented it: look again a few times
            retryOrGiveUp(pending);
        } else {
            catchUpRetries = 0;
        }
        for (Class<?> m : metrics) {
            try {
                Field global = m.getField("globalRegistry");
                walk(global.get(null), 0);
            } catch (Throwable t) {
                error("global", "could not read Metrics.globalRegistry: " + t);
            }
        }
        if (done > 0 || targets.isEmpty()) {
            releaseIfIdle(); // everything loaded is instrumented: Byte Buddy can go
        }
    }

    /** Looks again in 100 ms, for 10 s at most; then stops waiting for loads that never completed. */
    private void retryOrGiveUp(int pending) {
        if (catchUpRetries++ < RETRIES) {
            scheduleCatchUp(100);
        } else {
            catchUpRetries = 0;
            pendingTargets.addAndGet(-pending); // e.g. a definition that failed after the watcher saw it
            releaseIfIdle();
        }
    }

    // ---- registries -------------------------------------------------------------------------

    /** From a registry's constructor (application thread): bind it once it has settled. */
    void created(Object registry) {
        enqueue(registry, settleMillis);
    }

    /** From getMeters()/scrape() after a dynamic attach: bind it soon. */
    void seen(Object registry) {
        enqueue(registry, 0);
    }

    /**
     * On the application's thread: only notes the registry (weakly); the sampler's next tick
     * ({@link #onTick}) schedules its binding, so no application thread ever starts our thread.
     */
    private void enqueue(Object registry, long delayMillis) {
        if (registry == null || bound.containsKey(registry) || queued.put(registry, Boolean.TRUE) != null) {
            return;
        }
        arrivals.add(new Arrival(new WeakReference<>(registry), delayMillis));
    }

    /** On the sampler thread, every tick: schedules what application threads noted since the last. */
    void onTick() {
        for (Arrival a; (a = arrivals.poll()) != null; ) {
            schedule(a.registry, a.delayMillis);
        }
        if (catchUpRequested) {
            catchUpRequested = false;
            scheduleCatchUp(100);
        }
    }

    /** A registry noted on an application thread, with how long to let it settle. */
    private static final class Arrival {
        final WeakReference<Object> registry;
        final long delayMillis;

        Arrival(WeakReference<Object> registry, long delayMillis) {
            this.registry = registry;
            this.delayMillis = delayMillis;
        }
    }

    private void schedule(final WeakReference<Object> ref, long delayMillis) {
        executor().schedule(new Runnable() {
            @Override
            public void run() {
                Object r = ref.get();
                if (r != null) {
                    queued.remove(r);
                    bind(r);
                }
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Binds the meters into one registry (not composites: their members get them), at most once. */
    void bind(Object registry) {
        Class<?> type = registry.getClass();
        if (named(type, COMPOSITE) != null) {
            if (bound.put(registry, Boolean.TRUE) != null) {
                return; // members added later are new registries: their constructor reports them
            }
            try {
                walk(registry, 0); // its members are registries: bind those
            } catch (Throwable t) {
                error("composite", "could not read the members of " + type.getName() + ": " + t);
            }
            return;
        }
        Class<?> meterRegistry = named(type, METER_REGISTRY);
        if (meterRegistry == null || bound.put(registry, Boolean.TRUE) != null) {
            return;
        }
        try {
            Method closed = meterRegistry.getMethod("isClosed");
            if (Boolean.TRUE.equals(closed.invoke(registry))) {
                return;
            }
            Class<?> binder = binderFor(meterRegistry.getClassLoader());
            Object metrics = binder.getConstructor(Supplier.class).newInstance(latest);
            binder.getMethod("bindTo", meterRegistry).invoke(metrics, registry);
            boolean log;
            synchronized (this) {
                log = bindings++ < LOGGED_BINDINGS;
            }
            if (log) {
                Package p = meterRegistry.getPackage();
                String version = p == null ? null : p.getImplementationVersion();
                sink.write(LogSink.Severity.INFO, lines.plain("INFO", "micrometer",
                        "container memory meters bound to " + type.getName()
                                + (version == null ? "" : " (Micrometer " + version + ")")));
            }
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            error("bind:" + type.getName(), "could not bind meters to " + type.getName() + ": " + cause);
        }
    }

    /** The binder class defined next to this Micrometer (one bridge loader per Micrometer loader). */
    private Class<?> binderFor(ClassLoader micrometer) throws ClassNotFoundException {
        synchronized (binders) {
            WeakReference<Class<?>> ref = binders.get(micrometer);
            Class<?> c = ref == null ? null : ref.get();
            if (c == null) {
                BridgeLoader bridge = new BridgeLoader(micrometer, Registries.class.getClassLoader());
                c = bridge.loadClass(BridgeLoader.BINDER);
                binders.put(micrometer, new WeakReference<Class<?>>(c));
            }
            return c;
        }
    }

    /** Binds a registry, or every member of a composite (recursively). */
    private void walk(Object registry, int depth) throws Exception {
        if (registry == null || depth > 8) {
            return;
        }
        if (named(registry.getClass(), COMPOSITE) != null) {
            Object members = registry.getClass().getMethod("getRegistries").invoke(registry);
            if (members instanceof Collection) {
                for (Object member : new ArrayList<Object>((Collection<?>) members)) {
                    walk(member, depth + 1);
                }
            }
        } else {
            seen(registry);
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    e = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
                        @Override
                        public Thread newThread(Runnable r) {
                            Thread t = new Thread(r, THREAD_NAME);
                            t.setDaemon(true);
                            t.setContextClassLoader(Registries.class.getClassLoader());
                            t.setUncaughtExceptionHandler(new Thread.UncaughtExceptionHandler() {
                                @Override
                                public void uncaughtException(Thread thread, Throwable error) {
                                }
                            });
                            return t;
                        }
                    });
                    // no thread at all when idle: a worker stays while a delayed task is queued
                    // (ThreadPoolExecutor.getTask never lets the last worker go with a non-empty queue)
                    e.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                    e.allowCoreThreadTimeOut(true);
                    e.setRemoveOnCancelPolicy(true);
                    executor = e;
                }
            }
        }
        return e;
    }

    /** The class itself or the superclass with that name, or null. */
    static Class<?> named(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Reports a problem once per kind; never throws. */
    void error(String kind, String message) {
        try {
            if (reported.add(kind)) {
                sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "micrometer", message));
            }
        } catch (Throwable ignored) {
            // nothing left to report with
        }
    }
}
