package dev.headroom.jvm;

import dev.headroom.text.Units;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DiagnosticCommands#nmtLine} on real {@code jcmd <pid> VM.native_memory summary} output,
 * captured from a child JVM started with {@code -XX:NativeMemoryTracking=summary}, and on
 * output that holds no summary.
 */
class DiagnosticCommandsTest {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private static String withNmt;
    private static String withoutNmt;

    @BeforeAll
    static void capture() throws Exception {
        withNmt = jcmdOnChild("-XX:NativeMemoryTracking=summary");
        withoutNmt = jcmdOnChild("-XX:NativeMemoryTracking=off");
    }

    @AfterAll
    static void show() {
        System.out.println("nmtLine: " + DiagnosticCommands.nmtLine(withNmt));
    }

    @Test
    void theCapturedOutputIsARealSummary() {
        assertTrue(withNmt.contains("Native Memory Tracking:"), withNmt);
        assertTrue(TOTAL.matcher(withNmt).find(), withNmt);
        assertTrue(withNmt.contains("Java Heap (reserved="), withNmt);
    }

    @Test
    void nmtLineHoldsTheCommittedTotalAndTheLargestCategoriesLargestFirst() {
        String line = DiagnosticCommands.nmtLine(withNmt);
        assertNotNull(line, withNmt);
        Matcher total = TOTAL.matcher(withNmt);
        assertTrue(total.find());
        long committed = Long.parseLong(total.group(2)) * 1024;
        String prefix = "NMT committed " + Units.bytes(committed) + ": ";
        assertTrue(line.startsWith(prefix), () -> line + "\n" + withNmt);
        assertTrue(!line.contains("\n"), line);

        // what jcmd says per category, independently parsed
        Map<String, Long> categories = new LinkedHashMap<>();
        Matcher m = CATEGORY.matcher(withNmt);
        while (m.find()) {
            categories.put(m.group(1).trim(), Long.parseLong(m.group(3)) * 1024);
        }
        assertTrue(categories.size() > 10, categories::toString);
        assertEquals(16L << 20, categories.get("Java Heap"), "-Xms16m -Xmx16m: the heap is committed whole");

        String[] parts = line.substring(prefix.length()).split(", ");
        assertEquals(10, parts.length, line);
        List<Long> shown = new ArrayList<>();
        for (String part : parts) {
            // "Java Heap 16.0 MiB": the name is everything before the last two words
            String[] w = part.split(" ");
            String name = String.join(" ", java.util.Arrays.asList(w).subList(0, w.length - 2));
            String size = w[w.length - 2] + " " + w[w.length - 1];
            assertTrue(categories.containsKey(name), () -> name + " in " + categories);
            assertEquals(Units.bytes(categories.get(name)), size, part);
            shown.add(categories.get(name));
        }
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(shown.get(i - 1) >= shown.get(i), "largest first: " + line);
        }
        long smallestShown = shown.get(shown.size() - 1);
        long biggerNotShown = categories.values().stream().filter(v -> v > smallestShown).count();
        assertTrue(biggerNotShown <= 10, "the ten largest are shown: " + line);
        assertTrue(line.contains("Java Heap 16.0 MiB"), line);
    }

    @Test
    void nullWhenTrackingIsOffOrTheTextIsNotASummary() {
        assertTrue(withoutNmt.toLowerCase().contains("not enabled"), withoutNmt);
        assertNull(DiagnosticCommands.nmtLine(withoutNmt));
        assertNull(DiagnosticCommands.nmtLine(""));
        assertNull(DiagnosticCommands.nmtLine("garbage\n\u0000\u00ff Total: reserved=x KB"));
        assertNull(DiagnosticCommands.nmtLine("Total: reserved=12KB committed=3KB")); // no comma: not the format
        // categories without a total are not a summary either
        assertNull(DiagnosticCommands.nmtLine("-  Java Heap (reserved=16384KB, committed=16384KB)"));
    }

    @Test
    void aTotalWithoutCategoriesIsJustTheTotal() {
        assertEquals("NMT committed 2.0 MiB", DiagnosticCommands.nmtLine("Total: reserved=4096KB, committed=2048KB\n"));
    }

    @Test
    void trimNativeHeapOutputIsParsedInEveryUnit() {
        // JDK 17.0.15 and 25 print "Trim native heap: RSS+Swap: 78844K->78492K (-352K)"
        assertEquals(List.of(78844L * 1024, 78492L * 1024),
                List.of(DiagnosticCommands.trimmed("Trim native heap: RSS+Swap: 78844K->78492K (-352K)")[0],
                        DiagnosticCommands.trimmed("Trim native heap: RSS+Swap: 78844K->78492K (-352K)")[1]));
        long[] mixed = DiagnosticCommands.trimmed("Trim native heap: RSS+Swap: 368M->351M (-16880K)");
        assertEquals(368L << 20, mixed[0]);
        assertEquals(351L << 20, mixed[1]);
        long[] bytes = DiagnosticCommands.trimmed("RSS+Swap: 900B->2G");
        assertEquals(900, bytes[0]);
        assertEquals(2L << 30, bytes[1]);
        assertNull(DiagnosticCommands.trimmed("Not available"));
        assertNull(DiagnosticCommands.trimmed(null));
    }

    /** The real command on this JVM: both JDKs the suite runs on have it. */
    @Test
    void thisJvmTrimsItsNativeHeap() throws Exception {
        String output = DiagnosticCommands.trimNativeHeap();
        assertNotNull(output, "System.trim_native_heap exists on JDK 17.0.9+ and 25");
        long[] rss = DiagnosticCommands.trimmed(output);
        assertNotNull(rss, output);
        assertTrue(rss[0] > 0 && rss[1] > 0 && rss[1] <= rss[0] + (8 << 20), output);
    }

    /** Starts a child JVM that holds still, runs jcmd VM.native_memory summary on it, and stops it. */
    private static String jcmdOnChild(String nmt) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assertTrue(Files.isExecutable(jcmd), "this JDK has jcmd: " + jcmd);
        Process child = new ProcessBuilder(java.toString(), nmt, "-Xms16m", "-Xmx16m",
                "-cp", System.getProperty("java.class.path"), "dev.headroom.examples.Grow",
                "heap", "1M", "--max", "1M", "--hold", "120s", "--quiet")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertNotNull(first, "the child printed nothing");
            assertTrue(first.startsWith("grow start"), first);
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd finished");
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run jcmd on a child JVM", e);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
