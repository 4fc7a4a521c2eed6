package dev.headroom.benchmarks;

import dev.headroom.io.ChannelFileSource;
import dev.headroom.runtime.SampleReader;

import java.util.ArrayList;
import java.util.List;

/**
 * The files one steady-state tick reads on this machine (discovery excluded), learned by running a
 * tick: one that is not calm (near warn: every file not settled), or with {@code calm} a calm one
 * (healthy and far from warn, the usual tick: usage and memory.stat).
 */
final class TickFiles {

    /** Every path a tick asks for, existing or not. */
    final List<String> requested;
    /** The ones that exist (a missing optional file is one failed open per tick for headroom). */
    final List<String> existing;

    private TickFiles(List<String> requested, List<String> existing) {
        this.requested = requested;
        this.existing = existing;
    }

    static TickFiles learn(String root) {
        return learn(root, false);
    }

    static TickFiles learn(String root, boolean calm) {
        RecordingFileSource files = new RecordingFileSource(new ChannelFileSource());
        SampleReader reader = new SampleReader(files, root);
        reader.read(); // discovery + first tick
        files.clear();
        reader.read(System.nanoTime(), System.currentTimeMillis(), calm); // a steady-state tick
        TickFiles f = new TickFiles(new ArrayList<>(files.read), new ArrayList<>(files.existing));
        files.close();
        return f;
    }

    public static void main(String[] args) {
        TickFiles f = learn(args.length > 0 ? args[0] : "/", args.length > 1 && args[1].equals("calm"));
        System.out.println("requested " + f.requested.size() + ", existing " + f.existing.size());
        for (String p : f.requested) {
            System.out.println((f.existing.contains(p) ? "  " : "- ") + p);
        }
    }
}
