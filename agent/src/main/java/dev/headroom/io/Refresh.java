package dev.headroom.io;

/**
 * When the files whose values rarely change (limits, {@code oom_score_adj}) are read again. A
 * {@link SourceFile} built with a Refresh reads its file at its first load after each
 * {@link #due()} and otherwise hands back what it read last (contents or failure): a tick at
 * the default interval runs interpreted for minutes, and a file not read is the cheapest.
 * Owned by the thread that owns the files.
 */
public final class Refresh {

    private long round;

    /** The next load of every file of this refresh reads it again. */
    public void due() {
        round++;
    }

    long round() {
        return round;
    }
}
