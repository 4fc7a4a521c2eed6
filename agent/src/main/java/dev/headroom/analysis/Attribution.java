package dev.headroom.analysis;

import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Sample;

/**
 * What grew: each component's change since the last OK state, and its rate. While OK, a ring
 * of recent measurements (one window long) is kept; when an episode starts (WARNING or above),
 * the oldest of them becomes the episode's baseline and stays until the level is OK again.
 */
final class Attribution {

    private static final int CAPACITY = 128;
    static final int N = Component.MEASURED.length;

    private final long[] times = new long[CAPACITY];
    private final long[][] values = new long[CAPACITY][N];
    private int start;
    private int size;
    private long baselineTime;
    private final long[] baseline = new long[N];
    private boolean inEpisode;
    /** This tick's measurements and growth, reused every tick: {@link Growth} copies what it publishes. */
    private final long[] current = new long[N];
    private final long[] grown = new long[N];

    /** Records this sample and returns the growth since the baseline. */
    Growth update(Sample s, JvmSnapshot j, Level level, long windowNanos) {
        long now = s.nanoTime;
        for (int i = 0; i < N; i++) {
            current[i] = Component.MEASURED[i].measure(s, j);
        }
        boolean episode = level == Level.WARNING || level == Level.CRITICAL;
        if (episode && !inEpisode) {
            freezeBaseline(now, current);
        }
        inEpisode = episode;
        if (!episode) {
            push(now, current, windowNanos);
            if (size > 0) {
                baselineTime = times[start];
                System.arraycopy(values[start], 0, baseline, 0, N);
            }
        }
        double seconds = (now - baselineTime) / 1e9;
        for (int i = 0; i < N; i++) {
            grown[i] = Values.minus(current[i], baseline[i]);
        }
        return new Growth(s, j, grown, seconds);
    }

    private void freezeBaseline(long now, long[] current) {
        if (size > 0) {
            baselineTime = times[start];
            System.arraycopy(values[start], 0, baseline, 0, N);
        } else {
            baselineTime = now;
            System.arraycopy(current, 0, baseline, 0, N);
        }
        size = 0;
        start = 0;
    }

    private void push(long now, long[] current, long windowNanos) {
        while (size > 0 && (now - times[start] > windowNanos || size == CAPACITY)) {
            start = (start + 1) % CAPACITY;
            size--;
        }
        int at = (start + size) % CAPACITY;
        times[at] = now;
        System.arraycopy(current, 0, values[at], 0, N);
        size++;
    }
}
