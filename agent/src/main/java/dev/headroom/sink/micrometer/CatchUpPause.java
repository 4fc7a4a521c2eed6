package dev.headroom.sink.micrometer;

import java.util.HashSet;
import java.util.Set;

/**
 * A test hook: with {@code -Dheadroom.micrometer.pause=true} the catch-up on the
 * {@value MicrometerThread#NAME} thread stops at each {@link Step} until the application (a test
 * child JVM) releases it, so a test can create registries and load classes at exactly that
 * point. Off (one static boolean test) otherwise. A pause never lasts more than 60 s.
 */
public final class CatchUpPause {

    /** Where the catch-up can stop. */
    public enum Step {
        /** Micrometer was seen; the instrumenter is about to be built. */
        BUILD,
        /** The instrumenter is built; the loaded classes are about to be instrumented. */
        INSTRUMENT,
        /** The loaded classes are instrumented; the global registries are about to be walked. */
        WALK
    }

    static final boolean ENABLED = Boolean.getBoolean("headroom.micrometer.pause");
    private static final long MAX_MILLIS = 60_000;
    private static final Object LOCK = new Object();
    private static final Set<Step> reached = new HashSet<>();
    private static final Set<Step> released = new HashSet<>();

    private CatchUpPause() {
    }

    /** On the catch-up thread: stops at this step until released (only when enabled, once per step). */
    static void at(Step step) {
        if (!ENABLED) {
            return;
        }
        synchronized (LOCK) {
            if (!reached.add(step)) {
                return;
            }
            LOCK.notifyAll();
            long end = System.currentTimeMillis() + MAX_MILLIS;
            try {
                for (long left = MAX_MILLIS; !released.contains(step) && left > 0; left = end - System.currentTimeMillis()) {
                    LOCK.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** From the application: waits until the catch-up stands at this step; false after the timeout. */
    public static boolean awaitReached(Step step, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        synchronized (LOCK) {
            for (long left = timeoutMillis; !reached.contains(step) && left > 0; left = end - System.currentTimeMillis()) {
                LOCK.wait(left);
            }
            return reached.contains(step);
        }
    }

    /** From the application: lets the catch-up go on past this step. */
    public static void release(Step step) {
        synchronized (LOCK) {
            released.add(step);
            LOCK.notifyAll();
        }
    }
}
