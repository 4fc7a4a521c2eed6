package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import dev.headroom.jvm.VmOptions;
import dev.headroom.parse.Values;
import dev.headroom.text.Units;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Arrays;

/**
 * Makes the JVM give back heap it has committed but does not use. G1, Parallel and Serial size
 * the heap by free ratios after a full collection: lower the manageable MinHeapFreeRatio and
 * MaxHeapFreeRatio, run one full GC ({@code System.gc()}), and the heap shrinks to about what is
 * live. ZGC and Shenandoah size by SoftMaxHeapSize: lower it to what is used and ask for one
 * collection. The flags are put back when the episode is over. A JVM run with
 * {@code -XX:+DisableExplicitGC} asked that nothing but the JVM itself start a collection: heap
 * relief then does nothing and says so.
 */
final class HeapRelief implements Action {

    /** Less than this is never worth a full collection. */
    static final long MIN_WORTH_BYTES = 8L << 20;
    static final String LOW_MIN_RATIO = "0";
    static final String LOW_MAX_RATIO = "10";
    /** More collections a second than this: the application is churning its heap and would grow it right back. */
    static final double BUSY_COLLECTIONS_PER_SECOND = 5;
    /** A collection count older than this is no base for a rate. */
    private static final long RATE_BASE_NANOS = 2_000_000_000L;

    private final double warn;
    /** The flags as they were before relief changed them ({name, value} pairs in the order set); null when unchanged. */
    private volatile String[][] changed;
    /** The collection count at the previous decision, and when (sampler thread only). */
    private long lastCollections;
    private long lastNanos;

    HeapRelief(double warn) {
        this.warn = warn;
    }

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public String skipReason(Assessment a) {
        Headroom h = a.headroom;
        long missing = Values.known(h.bindingWorkingSet) && Values.limited(h.bindingLimit)
                ? h.bindingWorkingSet - (long) (warn * h.bindingLimit) : 0;
        long collections = HeapFacts.collections();
        long now = System.nanoTime();
        double rate = lastNanos == 0 || now - lastNanos > RATE_BASE_NANOS || collections < 0 ? Double.NaN
                : (collections - lastCollections) / ((now - lastNanos) / 1e9);
        lastCollections = collections;
        lastNanos = now;
        return skipReason(HeapFacts.read(), missing, rate);
    }

    /**
     * Null when relief should act on a heap like this, else why not. {@code missingBytes} is how
     * far the working set is above the {@code warn} line: giving back less than half of it (or
     * less than {@link #MIN_WORTH_BYTES}) would not change the outcome, and costs a full GC.
     * {@code collectionsPerSecond} is how busy the heap is since the previous decision (NaN at the
     * first: then the answer is a silent skip, and the next tick decides): an application that
     * allocates so fast that it collects more than {@link #BUSY_COLLECTIONS_PER_SECOND} times a
     * second grows the heap right back, and relief would have spent its one go of the episode.
     */
    static String skipReason(HeapFacts f, long missingBytes, double collectionsPerSecond) {
        if (f.explicitGcDisabled) {
            return "-XX:+DisableExplicitGC is set: heap relief starts no collection on this JVM";
        }
        switch (f.collector) {
            case EPSILON:
                return "the Epsilon collector never gives heap memory back";
            case UNKNOWN:
                return "unknown collector: no way to make it give heap memory back";
            case Z:
                if (f.uncommitDelaySeconds > Episode.SOON_SECONDS) {
                    return "ZGC gives memory back only after ZUncommitDelay ("
                            + (Double.isInfinite(f.uncommitDelaySeconds) ? "never: -XX:-ZUncommit"
                            : Units.duration(f.uncommitDelaySeconds)) + "): too late to help; -XX:ZUncommitDelay=1 lets relief work";
                }
                // fall through: a short delay works like Shenandoah
            case SHENANDOAH:
                if (!f.softMaxManageable) {
                    return "SoftMaxHeapSize is not manageable on this JVM";
                }
                break;
            default:
                if (!f.freeRatiosManageable) {
                    return "MinHeapFreeRatio/MaxHeapFreeRatio are not manageable on this JVM";
                }
        }
        if (Double.isNaN(collectionsPerSecond)) {
            return "";
        }
        if (collectionsPerSecond > BUSY_COLLECTIONS_PER_SECOND) {
            return "the application is allocating fast (" + Math.round(collectionsPerSecond)
                    + " collections a second): the heap would grow right back; waiting for it to calm down";
        }
        if (f.floor >= f.committed) {
            return "the heap cannot shrink: " + Units.bytes(f.committed) + " committed, and -Xms (the minimum heap) is "
                    + Units.bytes(f.floor);
        }
        long returnable = f.committed - Math.max(f.used, f.floor);
        long worth = Math.max(MIN_WORTH_BYTES, missingBytes / 2);
        if (returnable < worth) {
            return "the heap is nearly all in use (" + Units.bytes(f.used) + " of " + Units.bytes(f.committed)
                    + " committed): at most " + Units.bytes(Math.max(0, returnable)) + " to give back, worth a full GC from "
                    + Units.bytes(worth);
        }
        return null;
    }

    @Override
    public Result run() {
        try {
            MemoryUsage before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            HeapFacts facts = HeapFacts.read();
            String[][] lowered;
            if (facts.collector.byFreeRatio) {
                // Min first: Max may never go below Min
                lowered = new String[][] {{"MinHeapFreeRatio", LOW_MIN_RATIO}, {"MaxHeapFreeRatio", LOW_MAX_RATIO}};
            } else {
                long target = Math.max(facts.floor, before.getUsed() + before.getUsed() / 4);
                lowered = new String[][] {{"SoftMaxHeapSize", Long.toString(target)}};
            }
            StringBuilder how = new StringBuilder();
            String[][] old = new String[lowered.length][];
            for (int i = 0; i < lowered.length; i++) {
                String name = lowered[i][0];
                old[i] = new String[] {name, VmOptions.value(name)};
                VmOptions.set(name, lowered[i][1]);
                changed = Arrays.copyOf(old, i + 1);
                how.append(name).append(' ').append(flag(name, old[i][1])).append(" -> ").append(flag(name, lowered[i][1])).append(", ");
            }
            long start = System.nanoTime();
            System.gc();
            long took = System.nanoTime() - start;
            MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            how.append(facts.collector.byFreeRatio ? "one full GC" : "one GC cycle");
            String done = "heap committed " + Units.bytes(before.getCommitted()) + " -> " + Units.bytes(after.getCommitted())
                    + " (used " + Units.bytes(before.getUsed()) + " -> " + Units.bytes(after.getUsed()) + ")";
            return new Result(done, how.toString(), Math.max(0, before.getCommitted() - after.getCommitted()), took, true);
        } catch (Throwable t) {
            return Result.cannot("failed: " + t);
        }
    }

    @Override
    public String restore() {
        String[][] old = changed;
        if (old == null) {
            return null;
        }
        changed = null;
        StringBuilder out = new StringBuilder();
        // the reverse order: MaxHeapFreeRatio back up before MinHeapFreeRatio
        for (int i = old.length - 1; i >= 0; i--) {
            try {
                VmOptions.set(old[i][0], old[i][1]);
                out.append(out.length() == 0 ? "" : ", ").append(old[i][0]).append(' ').append(flag(old[i][0], old[i][1]));
            } catch (RuntimeException e) {
                out.append(out.length() == 0 ? "" : ", ").append(old[i][0]).append(" not put back (").append(e).append(')');
            }
        }
        return out.append(" put back").toString();
    }

    /** A flag's value for people: sizes in MiB. */
    private static String flag(String name, String value) {
        if (name.endsWith("Size")) {
            try {
                return Units.bytes(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }
}
