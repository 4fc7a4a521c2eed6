package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.jvm.DiagnosticCommands;
import dev.headroom.text.Units;

/**
 * Gives memory that glibc's malloc keeps after free() back to the kernel, through the JVM's
 * {@code System.trim_native_heap} diagnostic command ({@code malloc_trim}). A JVM without the
 * command (an older build, or not HotSpot) says so once; then native relief is quiet.
 * The command goes through the DiagnosticCommand MBean: the first run creates the platform MBean
 * server if the application has none yet (as {@code onCritical} diagnostics do).
 */
final class NativeRelief implements Action {

    private volatile boolean unavailable;

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String skipReason(Assessment a) {
        return unavailable ? "" : null;
    }

    @Override
    public Result run() {
        try {
            long start = System.nanoTime();
            String output = DiagnosticCommands.trimNativeHeap();
            long took = System.nanoTime() - start;
            if (output == null) {
                unavailable = true;
                return Result.cannot("this JVM has no System.trim_native_heap diagnostic command: native relief cannot act here");
            }
            long[] rss = DiagnosticCommands.trimmed(output);
            if (rss == null) {
                // "Not available" on a libc without malloc_trim: no use trying again
                unavailable = true;
                return Result.cannot("System.trim_native_heap cannot trim here: " + output.replace('\n', ' '));
            }
            return new Result("process RSS+swap " + Units.bytes(rss[0]) + " -> " + Units.bytes(rss[1]),
                    "System.trim_native_heap", Math.max(0, rss[0] - rss[1]), took, true);
        } catch (Throwable t) {
            return Result.cannot("failed: " + t);
        }
    }

    @Override
    public String restore() {
        return null;
    }
}
