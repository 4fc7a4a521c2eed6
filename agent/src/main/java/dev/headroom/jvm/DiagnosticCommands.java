package dev.headroom.jvm;

import dev.headroom.text.Units;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * On-demand JVM diagnostics through the DiagnosticCommand MBean (what jcmd runs): the native
 * memory tracking summary and the class histogram. These touch the platform MBean server, so
 * they run only when a warning fires or on request, never every sample and never at start.
 */
public final class DiagnosticCommands {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern TRIMMED = Pattern.compile("RSS\\+Swap: (\\d+)([BKMG]?)->(\\d+)([BKMG]?)");
    private static final Pattern CATEGORY = Pattern.compile("-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private DiagnosticCommands() {
    }

    /** Runs a diagnostic command by its MBean operation name, e.g. "vmNativeMemory" with "summary". */
    static String run(String operation, String... args) throws Exception {
        ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
        Object result = ManagementFactory.getPlatformMBeanServer().invoke(name, operation,
                new Object[] {args}, new String[] {String[].class.getName()});
        return String.valueOf(result);
    }

    /** "NMT committed 312.0 MiB: Java Heap 128.0 MiB, Class 20.0 MiB, ..." or null when NMT is off. */
    public static String nmtSummary() throws Exception {
        return nmtLine(run("vmNativeMemory", "summary"));
    }

    /** Parses the output of {@code VM.native_memory summary} into one line; null when it holds no total. */
    public static String nmtLine(String output) {
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) {
            return null;
        }
        List<long[]> sizes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher m = CATEGORY.matcher(output);
        while (m.find()) {
            names.add(m.group(1).trim());
            sizes.add(new long[] {Long.parseLong(m.group(3)) * 1024, names.size() - 1});
        }
        sizes.sort((a, b) -> Long.compare(b[0], a[0]));
        StringBuilder out = new StringBuilder("NMT committed ").append(Units.bytes(Long.parseLong(total.group(2)) * 1024));
        for (int i = 0; i < sizes.size() && i < 10; i++) {
            out.append(i == 0 ? ": " : ", ").append(names.get((int) sizes.get(i)[1])).append(' ')
                    .append(Units.bytes(sizes.get(i)[0]));
        }
        return out.toString();
    }

    /**
     * Runs {@code System.trim_native_heap} (glibc {@code malloc_trim}: gives freed malloc memory
     * back to the kernel) and returns its output, e.g. "Trim native heap: RSS+Swap: 78844K->78492K
     * (-352K)"; null when this JVM has no such command (an older build, not HotSpot).
     */
    public static String trimNativeHeap() throws Exception {
        try {
            return run("systemTrimNativeHeap").trim();
        } catch (javax.management.ReflectionException e) {
            return null; // the DiagnosticCommand MBean has no such operation
        }
    }

    /** The RSS+Swap before and after from {@link #trimNativeHeap()}'s output, bytes; null when not there. */
    public static long[] trimmed(String output) {
        Matcher m = output == null ? null : TRIMMED.matcher(output);
        if (m == null || !m.find()) {
            return null;
        }
        return new long[] {scaled(m.group(1), m.group(2)), scaled(m.group(3), m.group(4))};
    }

    private static long scaled(String number, String unit) {
        int shift = unit.isEmpty() || unit.equals("B") ? 0 : unit.equals("K") ? 10 : unit.equals("M") ? 20 : 30;
        return Long.parseLong(number) << shift;
    }

    /** The first {@code top} entries of the class histogram, one line each. */
    public static List<String> classHistogram(int top) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : run("gcClassHistogram").split("\n")) {
            String t = line.trim();
            if (t.matches("\\d+:.*")) {
                out.add(t.replaceAll("\\s+", " "));
                if (out.size() == top) {
                    break;
                }
            }
        }
        return out;
    }
}
