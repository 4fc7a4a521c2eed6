package dev.headroom.sink.micrometer;

import dev.headroom.analysis.Assessment;
import dev.headroom.loading.BridgeLoader;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The registry binding: which registries are known, which are bound, and the binding itself.
 * Each registry is bound at most once, and no later than the first time it is published or
 * scraped: then on the thread that publishes it (the one piece of work an application thread
 * does for us). Otherwise it is bound on the {@value MicrometerThread#NAME} thread:
 * {@value #SETTLE_MILLIS} ms after its constructor, at once when it was queried or added to a
 * composite. Application threads only note a registry (weakly); the sampler's next tick
 * schedules what they noted, so no application thread starts our thread. Registries are only
 * ever weakly held.
 */
final class Bindings {

    static final String COMPOSITE = "io.micrometer.core.instrument.composite.CompositeMeterRegistry";
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    /**
     * How long after its constructor a new registry is bound when nothing publishes it first.
     * Frameworks configure a registry right after creating it (Spring Boot's
     * MeterRegistryPostProcessor adds common tags and filters); binding after that lets our
     * meters get the same tags and filters.
     */
    static final long SETTLE_MILLIS = 2000;
    private static final int LOGGED_BINDINGS = 10;
    /** A publishing thread waits at most this long for a binding in progress elsewhere. */
    private static final long LOCK_WAIT_MILLIS = 2000;

    private final Supplier<Assessment> latest;
    private final Problems problems;
    private final MicrometerThread thread;
    private final long settleMillis;

    /** Registries bound (or being bound), weakly. */
    private final Map<Object, Boolean> bound = Collections.synchronizedMap(new WeakHashMap<Object, Boolean>());
    /** Registries known and not bound yet, weakly, with when their binding is due: a client scrape looks here. */
    private final Map<Object, Long> known = Collections.synchronizedMap(new WeakHashMap<Object, Long>());
    /** Registries noted on application threads, scheduled by the sampler's next tick. */
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    /** One binding at a time: a publisher that finds its registry being bound waits for it. */
    private final ReentrantLock binding = new ReentrantLock();
    private final Map<ClassLoader, WeakReference<Class<?>>> binders = new WeakHashMap<>();
    private int bindings;

    Bindings(Supplier<Assessment> latest, Problems problems, MicrometerThread thread, long settleMillis) {
        this.latest = latest;
        this.problems = problems;
        this.thread = thread;
        this.settleMillis = settleMillis;
    }

    // ---- application threads --------------------------------------------------------------

    /** From a registry's constructor: bound once it has settled. */
    void created(Object registry) {
        note(registry, settleMillis);
    }

    /** Queried, or added to a composite: bound soon, off this thread. */
    void soon(Object registry) {
        note(registry, 0);
    }

    /** About to be published or scraped: bound now, on this thread, unless it is already. */
    void published(Object registry) {
        if (registry == null || Boolean.TRUE.equals(bound.get(registry))) {
            return;
        }
        if (Classes.named(registry.getClass(), COMPOSITE) != null) {
            forEachMember(registry, new Member() {
                @Override
                public void accept(Object member) {
                    soon(member);
                }
            });
        } else {
            bind(registry);
        }
    }

    /** The Prometheus client's registry is about to be scraped: binds the known registries that feed it. */
    void clientScraped(Object clientRegistry) {
        if (clientRegistry == null || known.isEmpty()) {
            return;
        }
        List<Object> candidates;
        synchronized (known) {
            candidates = new ArrayList<>(known.keySet());
        }
        for (Object registry : candidates) {
            try {
                Method m = registry.getClass().getMethod("getPrometheusRegistry");
                if (m.invoke(registry) == clientRegistry) {
                    bind(registry);
                }
            } catch (NoSuchMethodException notPrometheus) {
                // another kind of registry: not scraped here
            } catch (Throwable t) {
                problems.error("client:" + registry.getClass().getName(), "could not read the Prometheus registry of "
                        + registry.getClass().getName() + ": " + Problems.cause(t));
            }
        }
    }

    /** Notes a registry to bind after a delay; a registry noted before is scheduled again only to bring it forward. */
    private void note(Object registry, long delayMillis) {
        if (registry == null || bound.containsKey(registry)) {
            return;
        }
        long due = System.currentTimeMillis() + delayMillis;
        synchronized (known) {
            Long before = known.get(registry);
            if (before != null && before <= due) {
                return;
            }
            known.put(registry, due);
        }
        arrivals.add(new Arrival(new WeakReference<>(registry), delayMillis));
    }

    // ---- the sampler thread ------------------------------------------------------------------

    /** Every tick: schedules what application threads noted since the last. */
    void onTick() {
        for (Arrival a; (a = arrivals.poll()) != null; ) {
            schedule(a.registry, a.delayMillis);
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

    // ---- the headroom-micrometer thread --------------------------------------------------------

    /** A registry found by the catch-up (a member of a global registry): bound now, on this thread. */
    void found(Object registry) {
        if (registry != null && !bound.containsKey(registry)) {
            bind(registry);
        }
    }

    /** Binds every registry in a composite (recursively), from the catch-up's walk. */
    void walk(Object composite) {
        forEachMember(composite, new Member() {
            @Override
            public void accept(Object member) {
                if (Classes.named(member.getClass(), COMPOSITE) != null) {
                    walk(member);
                } else {
                    found(member);
                }
            }
        });
    }

    private void schedule(final WeakReference<Object> ref, long delayMillis) {
        thread.schedule(new Runnable() {
            @Override
            public void run() {
                Object r = ref.get();
                if (r != null) {
                    bind(r);
                }
            }
        }, delayMillis);
    }

    // ---- binding --------------------------------------------------------------------------------

    /** Binds the meters into one registry (a composite: its members), at most once. */
    void bind(Object registry) {
        Class<?> type = registry.getClass();
        if (Classes.named(type, COMPOSITE) != null) {
            if (bound.put(registry, Boolean.TRUE) == null) {
                known.remove(registry);
                walk(registry); // members added later are reported by the composite's add()
            }
            return;
        }
        Class<?> meterRegistry = Classes.named(type, METER_REGISTRY);
        if (meterRegistry == null) {
            return;
        }
        boolean locked = false;
        try {
            locked = binding.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (!locked) {
                problems.error("lock", "gave up waiting for another binding to finish; "
                        + type.getName() + " is bound later");
                return; // still known: the next publish or its scheduled binding tries again
            }
            if (bound.put(registry, Boolean.TRUE) != null) {
                return;
            }
            known.remove(registry);
            bindMeters(registry, type, meterRegistry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (locked) {
                binding.unlock();
            }
        }
    }

    private void bindMeters(Object registry, Class<?> type, Class<?> meterRegistry) {
        try {
            if (Boolean.TRUE.equals(meterRegistry.getMethod("isClosed").invoke(registry))) {
                problems.once("closed:" + type.getName(), "not bound to " + type.getName() + ": closed before it could be");
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
                problems.info("container memory meters bound to " + type.getName()
                        + (version == null ? "" : " (Micrometer " + version + ")"));
            }
        } catch (Throwable t) {
            problems.error("bind:" + type.getName(), "could not bind meters to " + type.getName() + ": "
                    + Problems.cause(t));
        }
    }

    /** The binder class defined next to this Micrometer (one bridge loader per Micrometer loader). */
    private Class<?> binderFor(ClassLoader micrometer) throws ClassNotFoundException {
        synchronized (binders) {
            WeakReference<Class<?>> ref = binders.get(micrometer);
            Class<?> c = ref == null ? null : ref.get();
            if (c == null) {
                BridgeLoader bridge = new BridgeLoader(micrometer, Bindings.class.getClassLoader());
                c = bridge.loadClass(BridgeLoader.BINDER);
                binders.put(micrometer, new WeakReference<Class<?>>(c));
            }
            return c;
        }
    }

    private interface Member {
        void accept(Object member);
    }

    private void forEachMember(Object composite, Member action) {
        try {
            Object members = composite.getClass().getMethod("getRegistries").invoke(composite);
            if (members instanceof Collection) {
                for (Object member : new ArrayList<Object>((Collection<?>) members)) {
                    if (member != null) {
                        action.accept(member);
                    }
                }
            }
        } catch (Throwable t) {
            problems.error("composite", "could not read the members of " + composite.getClass().getName() + ": "
                    + Problems.cause(t));
        }
    }
}
