package dev.headroom.sink.relief;

import dev.headroom.analysis.Level;

/**
 * When relief acts: the kill is near (CRITICAL, or WARNING with the limit predicted within
 * {@link #SOON_SECONDS}), at most once per episode (an episode ends when the level is OK again)
 * and never sooner than {@code repeat} after the previous time. Pure bookkeeping, no I/O.
 */
final class Episode {

    /** A WARNING whose trend reaches the limit this soon is treated like CRITICAL. */
    static final double SOON_SECONDS = 5;

    private final long repeatMillis;
    private boolean acted;
    private long lastActionMillis = Long.MIN_VALUE / 2;

    Episode(long repeatMillis) {
        this.repeatMillis = repeatMillis;
    }

    /** The kill is near: CRITICAL, or WARNING with the limit predicted within seconds. */
    static boolean imminent(Level level, double secondsToLimit) {
        return level == Level.CRITICAL || (level == Level.WARNING && secondsToLimit <= SOON_SECONDS);
    }

    /**
     * Called at every tick, before {@link #due}: true once when an episode in which relief acted
     * has just ended (level OK), so that what it changed is put back.
     */
    boolean ended(Level level) {
        if (level != Level.OK) {
            return false;
        }
        boolean wasActed = acted;
        acted = false;
        return wasActed;
    }

    /** True when relief should act now: near the kill, not yet this episode, and {@code repeat} since the last time. */
    boolean due(Level level, double secondsToLimit, long nowMillis) {
        return !acted && imminent(level, secondsToLimit) && nowMillis - lastActionMillis >= repeatMillis;
    }

    /** Relief acted now: no more this episode, none again before {@code repeat}. */
    void acted(long nowMillis) {
        acted = true;
        lastActionMillis = nowMillis;
    }
}
