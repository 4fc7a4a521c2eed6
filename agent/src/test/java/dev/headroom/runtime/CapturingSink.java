package dev.headroom.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A LogSink that keeps every line, for counting what the agent logged. */
public final class CapturingSink extends LogSink {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(Severity severity, String line) {
        lines.add(line);
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized long count(Predicate<String> matches) {
        return lines.stream().filter(matches).count();
    }

    public long count(String containing) {
        return count(l -> l.contains(containing));
    }
}
