package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;

/** One relief action (heap, native): whether to act, acting, and putting back what it changed. */
interface Action {

    /** heap or native: the name in {@code relief=} and in the lines. */
    String name();

    /**
     * On the sampler thread, when the kill is near: null to act now, else why not (logged once
     * per episode); an empty reason skips silently (it was said before and will not change).
     */
    String skipReason(Assessment a);

    /** Off the sampler thread: does it and says what came of it. Never throws. */
    Result run();

    /** On the sampler thread once the episode is over: puts back what {@link #run} changed; what was put back, or null. */
    String restore();

    /** What one run did, by the JVM's own numbers. */
    final class Result {
        /** "heap committed 193.0 MiB -> 9.0 MiB (used ...)", or why nothing could be done. */
        final String done;
        /** How: "MinHeapFreeRatio 40 -> 0, ..., one full GC"; null when nothing ran. */
        final String how;
        final long freedBytes;
        final long durationNanos;
        /** False when it turned out this JVM cannot: then {@link #done} says why. */
        final boolean acted;

        Result(String done, String how, long freedBytes, long durationNanos, boolean acted) {
            this.done = done;
            this.how = how;
            this.freedBytes = freedBytes;
            this.durationNanos = durationNanos;
            this.acted = acted;
        }

        static Result cannot(String why) {
            return new Result(why, null, 0, -1, false);
        }
    }
}
