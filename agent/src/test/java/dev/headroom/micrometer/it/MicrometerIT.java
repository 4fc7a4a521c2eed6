package dev.headroom.micrometer.it;

import com.sun.tools.attach.VirtualMachine;
import dev.headroom.sink.micrometer.MeterTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, the way users run it: child JVMs with the agent attached (premain, JAVA_TOOL_OPTIONS
 * or dynamic attach), the application's own Micrometer, and no code change in the application.
 */
class MicrometerIT {

    private static final Path AGENT = Paths.get(System.getProperty("headroom.agentJar",
            "target/headroom-agent.jar")).toAbsolutePath();
    private static final Path TARGET = AGENT.getParent();
    private static final Path ROOT = TARGET.getParent().getParent();
    private static final Path IT_LIB = TARGET.resolve("it-lib");
    private static final long MIB = 1024 * 1024;

    // ---- a plain application, its registry created after start, values against the cgroup files

    @Test
    void plainApplicationShowsMetersThatAgreeWithTheCgroupFiles() throws Exception {
        Path jar = ROOT.resolve("examples/micrometer-plain/target/micrometer-plain.jar");
        assertTrue(Files.exists(jar), jar + " (built by the examples/micrometer-plain module)");
        long limit = 768 * MIB;
        boolean ownCgroup = canMakeCgroups();
        List<String> cmd = new ArrayList<>();
        if (ownCgroup) {
            cmd.addAll(Arrays.asList("bash", ROOT.resolve("scripts/run-in-cgroup.sh").toString(), "768M", "--"));
        }
        cmd.addAll(Arrays.asList(Child.java(), "-Xmx256m", "-javaagent:" + AGENT, "-jar", jar.toString(), "0"));
        try (Child app = Child.start(cmd, null)) {
            int port = Integer.parseInt(app.await(Pattern.compile("listening on (\\d+)"), 60_000).group(1));
            long pid = javaPid(app);
            Path cgroup = memoryCgroup(pid);
            scrapeUntil("http://127.0.0.1:" + port + "/metrics", "container_memory_working_set_bytes", 60_000, app);
            // the binder registers its meters one after another: a scrape in between sees some;
            // the agent logs the binding once every meter is registered
            long deadline = System.currentTimeMillis() + 30_000;
            while (app.err().stream().noneMatch(l -> l.contains("container memory meters bound to "
                    + "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(app.err().stream().anyMatch(l -> l.contains("container memory meters bound to "
                    + "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")), app.dump());
            String text = scrape("http://127.0.0.1:" + port + "/metrics");
            assertAllMeters(text);

            // the sampler ticks every second: compare against the files read around a scrape
            String failure = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                long[] before = cgroupWorkingSetAndUsage(cgroup);
                text = scrape("http://127.0.0.1:" + port + "/metrics");
                long[] after = cgroupWorkingSetAndUsage(cgroup);
                double ws = value(text, "container_memory_working_set_bytes");
                double usage = value(text, "container_memory_usage_bytes");
                failure = within("working set", ws, before[0], after[0]);
                if (failure == null) {
                    failure = within("usage", usage, before[1], after[1]);
                }
                if (failure == null) {
                    break;
                }
                Thread.sleep(1100);
            }
            assertEquals(null, failure, "cgroup " + cgroup);
            if (ownCgroup) {
                assertEquals(limit, value(text, "container_memory_limit_bytes"));
                assertEquals(limit, value(text, "container_memory_limit_effective_bytes"));
                double available = value(text, "container_memory_available_bytes");
                assertTrue(available > 0 && available < limit, "available " + available);
                double utilization = value(text, "container_memory_utilization_ratio");
                assertTrue(utilization > 0 && utilization < 1, "utilization " + utilization);
            }
            assertEquals(0.0, value(text, "container_oom_kills_total"));
            assertEquals(0.0, value(text, "headroom_level"));
        }
    }

    // ---- Spring Boot fat jar, agent through JAVA_TOOL_OPTIONS

    @Test
    void springBootFatJarShowsMetersInActuatorPrometheus() throws Exception {
        Path jar = ROOT.resolve("examples/spring-boot/target/spring-boot-example.jar");
        assertTrue(Files.exists(jar), jar + " (built by the examples/spring-boot module)");
        List<String> cmd = Arrays.asList(Child.java(), "-jar", jar.toString(), "--server.port=0");
        try (Child app = Child.start(cmd, Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + AGENT))) {
            int port = Integer.parseInt(app.await(Pattern.compile("Tomcat started on port[s]?[ (:]*(\\d+)"), 180_000).group(1));
            // the binder registers the meters in table order: once the last shows, all are there
            List<MeterTable.Row> rows = MeterTable.rows();
            String text = scrapeUntil("http://127.0.0.1:" + port + "/actuator/prometheus",
                    rows.get(rows.size() - 1).prometheusName(), 90_000, app);
            assertAllMeters(text);
            // bound after Spring Boot configured the registry: our meters carry its common tags
            assertTrue(Pattern.compile("(?m)^container_memory_working_set_bytes\\{[^}]*application=\"headroom-example\"")
                    .matcher(text).find(), text);
            assertTrue(value(text, "container_memory_working_set_bytes") > 0);
            assertTrue(text.contains("jvm_memory_used_bytes"), "the application's own meters are still there");
        }
    }

    // ---- dynamic attach: registries that existed before

    @Test
    void registriesCreatedBeforeADynamicAttachGetTheMeters() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-cp", classPath(IT_LIB.resolve("micrometer-1.17.2")),
                RegistryApp.class.getName(), "attach");
        try (Child app = Child.start(cmd, null)) {
            String pid = app.await(Pattern.compile("READY (\\d+)"), 60_000).group(1);
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(AGENT.toString(), "");
            } finally {
                vm.detach();
            }
            app.send("go");
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 120_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            // 0: in Metrics.globalRegistry (found at attach), 1: standalone (found when published)
            for (int registry = 0; registry < 2; registry++) {
                String prefix = "METER " + registry + " container.memory.working_set{} ";
                assertTrue(app.out().stream().anyMatch(l -> l.startsWith(prefix)), prefix + "\n" + app.dump());
            }
        }
    }

    // ---- the start-up race: each ordering of the application against the catch-up, forced

    /**
     * The agent's catch-up stops at each step (test hook {@code headroom.micrometer.pause}) while
     * {@link RaceApp} creates registries, loads {@code Metrics} and adds to it at exactly that
     * point: every registry must be bound, and every first scrape must show our series.
     */
    @Test
    void everyOrderingOfTheCatchUpBindsEveryRegistry() throws Exception {
        Path lib = ROOT.resolve("examples/micrometer-plain/target/lib");
        List<String> cmd = Arrays.asList(Child.java(), "-Dheadroom.micrometer.pause=true", "-Dheadroom.micrometer.debug=true",
                "-javaagent:" + AGENT, "-cp", classPath(lib), RaceApp.class.getName());
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|NOTREACHED.*)$"), 180_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            for (String step : List.of("BUILD", "INSTRUMENT", "WALK")) {
                assertTrue(app.out().contains("AT " + step), step + "\n" + app.dump());
            }
            for (String name : List.of("scraped-before", "scraped-after", "client-scraped-after")) {
                assertTrue(app.out().contains("FIRSTSCRAPE " + name + " true"), name + "\n" + app.dump());
            }
            for (String name : List.of("global-before", "queried-before", "added-later", "untouched-after")) {
                assertTrue(app.out().stream().anyMatch(l -> l.startsWith("BOUND " + name + " ")), name + "\n" + app.dump());
            }
            // the constructor hook: bound within a few seconds though nothing ever touches it
            long untouched = app.out().stream().filter(l -> l.startsWith("BOUND untouched-after "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
            assertTrue(untouched < 10_000, untouched + " ms");
            assertTrue(app.err().stream().noneMatch(l -> l.contains("ERROR")), app.dump());
        }
    }

    // ---- a plain application that creates its registry first thing: its first scrape has our series

    /**
     * The registry exists before the agent sets up (its class was loaded before the watcher):
     * nothing can see it until its class is instrumented, and its first scrape after that binds
     * it on the scraping thread, before the scrape runs. (A scrape in the JVM's first few hundred
     * milliseconds, before the agent has set up, cannot be helped; see examples/micrometer.)
     */
    @Test
    void plainApplicationsFirstScrapeHasTheMeters() throws Exception {
        Path jar = ROOT.resolve("examples/micrometer-plain/target/micrometer-plain.jar");
        List<String> cmd = Arrays.asList(Child.java(), "-Dheadroom.micrometer.debug=true", "-javaagent:" + AGENT,
                "-jar", jar.toString(), "0");
        try (Child app = Child.start(cmd, null)) {
            int port = Integer.parseInt(app.await(Pattern.compile("listening on (\\d+)"), 60_000).group(1));
            app.awaitErr(Pattern.compile("instrumented .*io\\.micrometer\\.prometheusmetrics\\.PrometheusMeterRegistry"), 60_000);
            assertTrue(app.err().stream().noneMatch(l -> l.contains("meters bound")), "nothing bound it before its scrape\n"
                    + app.dump());
            String first = scrape("http://127.0.0.1:" + port + "/metrics");
            assertTrue(first.contains("container_memory_working_set_bytes"), first + "\n" + app.dump());
            assertAllMeters(first);
        }
    }

    // ---- a registry nobody publishes, scrapes or adds to the global registry: the constructor hook

    @Test
    void registryCreatedAfterInstrumentationIsFoundByItsConstructor() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-Dheadroom.micrometer.debug=true", "-javaagent:" + AGENT,
                "-cp", classPath(IT_LIB.resolve("micrometer-1.9.17")), RegistryApp.class.getName(), "constructor");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("READY (\\d+)"), 60_000);
            // Micrometer is on the class path: the agent instruments MeterRegistry by itself
            app.awaitErr(Pattern.compile("instrumented .*io\\.micrometer\\.core\\.instrument\\.MeterRegistry"), 60_000);
            app.send("go");
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 120_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.startsWith("METER 0 container.memory.working_set{} ")), app.dump());
        }
    }

    // ---- startSampling() called at once with the agent attached: the agent's own start wins

    @Test
    void startSamplingDuringTheAgentsStartDelayLeavesTheAgentInCharge() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-javaagent:" + AGENT + "=warn=0.5,jmx=false", "-cp",
                classPath(IT_LIB.resolve("micrometer-1.17.2")), RegistryApp.class.getName(), "library");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 120_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            assertTrue(app.out().contains("STARTSAMPLING true"), app.dump());
            // the agent (with its arguments, and its automatic binding) runs, not a library sampler
            assertTrue(app.err().stream().noneMatch(l -> l.contains("already running")), app.dump());
            assertEquals(1, app.err().stream().filter(l -> l.contains("INFO start: ")).count(), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.startsWith("METER 0 container.memory.working_set{} ")), app.dump());
        }
    }

    // ---- the oldest and newest Micrometer 1.x supported

    @ParameterizedTest
    @ValueSource(strings = {"1.9.17", "1.17.2"})
    void micrometerVersion(String version) throws Exception {
        Path lib = IT_LIB.resolve("micrometer-" + version);
        List<String> cmd = Arrays.asList(Child.java(), "-javaagent:" + AGENT, "-cp", classPath(lib),
                RegistryApp.class.getName(), "after");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 120_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            assertTrue(app.out().contains("MICROMETER " + version), app.dump());
            List<String> meters = app.out().stream().filter(l -> l.startsWith("METER 0 ")).collect(Collectors.toList());
            assertEquals(MeterTable.rows().size(), meters.size(), app.dump());
            for (MeterTable.Row row : MeterTable.rows()) {
                String tags = row.tagKey == null ? "{}" : "{" + row.tagKey + "=" + row.tagValue + "}";
                assertTrue(meters.stream().anyMatch(l -> l.startsWith("METER 0 " + row.name + tags + " ")
                        && l.contains(" unit=" + row.baseUnit + " ")), row.name + "\n" + app.dump());
            }
        }
    }

    // ---- once the meters are bound: no agent thread for Micrometer, Byte Buddy unloaded

    @Test
    void afterBindingTheThreadEndsAndByteBuddyIsUnloaded() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-Xlog:class+unload=info", "-Dheadroom.micrometer.debug=true",
                "-javaagent:" + AGENT, "-cp", classPath(IT_LIB.resolve("micrometer-1.17.2")),
                RegistryApp.class.getName(), "idle");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 150_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.startsWith("METER 0 container.memory.working_set{} ")), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.startsWith("IDLE ")), app.dump());
            assertTrue(app.err().stream().anyMatch(l -> l.contains("Byte Buddy released")), app.dump());
            // the nested loader, the nested jar's bytes and Byte Buddy's classes were all collectable
            assertTrue(app.out().stream().anyMatch(l -> l.contains("unloading class dev.headroom.shaded.bytebuddy.")),
                    app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.contains("unloading class dev.headroom.sink.micrometer.Instrumenter")),
                    app.dump());
        }
    }

    // ---- the agent jar: Byte Buddy's ASM is one nested jar, not top-level entries

    @Test
    void agentJarHoldsAsmOnlyAsOneNestedJar() throws Exception {
        List<String> names = new ArrayList<>();
        byte[] nested;
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(AGENT.toFile())) {
            jar.stream().forEach(e -> names.add(e.getName()));
            java.util.zip.ZipEntry entry = jar.getEntry("META-INF/headroom/byte-buddy.jar");
            assertNotNull(entry, names.toString());
            try (InputStream in = jar.getInputStream(entry)) {
                nested = in.readAllBytes();
            }
            try (InputStream in = jar.getInputStream(jar.getEntry("dev/headroom/sink/micrometer/Instrumenter.class"))) {
                String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(text.contains("dev/headroom/shaded/bytebuddy/jar/asm/"), "Instrumenter links against the relocated ASM");
                assertFalse(text.contains("net/bytebuddy/"));
            }
        }
        assertEquals(List.of(), names.stream().filter(n -> !n.equals("dev/") && !n.startsWith("dev/headroom/") && !n.startsWith("META-INF/"))
                .collect(Collectors.toList()));
        assertEquals(List.of(), names.stream().filter(n -> n.startsWith("dev/headroom/shaded/")).collect(Collectors.toList()));
        assertTrue(names.contains("META-INF/licenses/ASM"), "Byte Buddy's bundled ASM licence is kept");
        assertTrue(names.size() < 400, names.size() + " entries");

        List<String> inner = new ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(nested))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                inner.add(e.getName());
            }
        }
        // Byte Buddy's bundled ASM, all the instrumenter needs: a few dozen classes, not Byte Buddy's 3000
        assertTrue(inner.contains("dev/headroom/shaded/bytebuddy/jar/asm/ClassReader.class"), inner.toString());
        assertTrue(inner.size() < 100, inner.size() + " entries");
        assertEquals(List.of(), inner.stream().filter(n -> !n.endsWith("/") && !n.startsWith("dev/headroom/shaded/bytebuddy/jar/asm/"))
                .collect(Collectors.toList()), "only relocated ASM: no META-INF/versions, none of our classes");
    }

    // ---- the application's own Byte Buddy; no Micrometer, no Byte Buddy; micrometer=false

    @Test
    void applicationWithItsOwnByteBuddyStillWorks() throws Exception {
        String cp = classPath(IT_LIB.resolve("micrometer-1.9.17")) + java.io.File.pathSeparator
                + classPath(IT_LIB.resolve("bytebuddy"));
        List<String> cmd = Arrays.asList(Child.java(), "-javaagent:" + AGENT, "-cp", cp,
                RegistryApp.class.getName(), "bytebuddy");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 120_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            String jar = Files.list(IT_LIB.resolve("bytebuddy")).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("byte-buddy-")).findFirst().orElseThrow();
            assertTrue(app.out().contains("BYTEBUDDY " + jar + " generated-before"), app.dump());
            assertTrue(app.out().contains("BYTEBUDDY " + jar + " generated-after"), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.startsWith("METER 0 container.memory.working_set{} ")), app.dump());
        }
    }

    @Test
    void applicationWithoutMicrometerNeverLoadsByteBuddy() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-verbose:class", "-javaagent:" + AGENT,
                "-cp", testClasses().toString(), NoMicrometerApp.class.getName(), "3000");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^DONE$"), 60_000);
            assertEquals(0, app.waitFor(30_000), app.dump());
            assertTrue(app.err().stream().anyMatch(l -> l.startsWith("[headroom] INFO start")), app.dump());
            assertTrue(app.out().stream().anyMatch(l -> l.contains("dev.headroom.sink.micrometer.MicrometerSupport")),
                    "the Micrometer support was installed");
            List<String> loaded = app.out().stream().filter(l -> l.toLowerCase().contains("bytebuddy"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), loaded);
        }
    }

    @Test
    void micrometerFalseBindsNothingAndLoadsNoByteBuddy() throws Exception {
        List<String> cmd = Arrays.asList(Child.java(), "-verbose:class", "-Dwait=6000",
                "-javaagent:" + AGENT + "=micrometer=false", "-cp", classPath(IT_LIB.resolve("micrometer-1.9.17")),
                RegistryApp.class.getName(), "after");
        try (Child app = Child.start(cmd, null)) {
            app.await(Pattern.compile("^(DONE|TIMEOUT)$"), 60_000);
            assertEquals(1, app.waitFor(30_000), app.dump());
            assertTrue(app.out().contains("TIMEOUT"));
            assertFalse(app.out().stream().anyMatch(l -> l.toLowerCase().contains("bytebuddy")));
            assertFalse(app.out().stream().anyMatch(l -> l.startsWith("METER ")));
        }
    }

    // ---- helpers

    private static void assertAllMeters(String text) {
        for (MeterTable.Row row : MeterTable.rows()) {
            String name = row.prometheusName();
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(text).find(),
                    name + " missing in\n" + text);
            assertTrue(text.contains("# HELP " + name + " "), "HELP for " + name);
        }
    }

    private static String within(String what, double meter, long before, long after) {
        long lo = Math.min(before, after);
        long hi = Math.max(before, after);
        double tolerance = Math.max(16 * MIB, hi * 0.10);
        if (Double.isNaN(meter) || meter < lo - tolerance || meter > hi + tolerance) {
            return what + " meter " + (long) meter + " not within " + (long) tolerance + " of [" + lo + ", " + hi + "]";
        }
        return null;
    }

    static boolean canMakeCgroups() {
        return "root".equals(System.getProperty("user.name")) && Files.exists(ROOT.resolve("scripts/run-in-cgroup.sh"))
                && Files.isDirectory(Paths.get("/sys/fs/cgroup"));
    }

    /** The java process: the child itself, or the one run-in-cgroup.sh started. */
    private static long javaPid(Child app) {
        Optional<ProcessHandle> java = app.process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
        return java.map(ProcessHandle::pid).orElse(app.process.pid());
    }

    /** The memory cgroup directory of a process (v1 memory controller, or the v2 unified one). */
    private static Path memoryCgroup(long pid) throws IOException {
        String v2 = null;
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (Arrays.asList(parts[1].split(",")).contains("memory")) {
                return Paths.get("/sys/fs/cgroup/memory" + parts[2]);
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2 = parts[2];
            }
        }
        return Paths.get("/sys/fs/cgroup" + v2);
    }

    /** {working set, usage} from the files, as cAdvisor computes them. */
    private static long[] cgroupWorkingSetAndUsage(Path dir) throws IOException {
        boolean v1 = Files.exists(dir.resolve("memory.usage_in_bytes"));
        long usage = Long.parseLong(Files.readString(dir.resolve(v1 ? "memory.usage_in_bytes" : "memory.current")).trim());
        String key = v1 ? "total_inactive_file" : "inactive_file";
        long inactive = Files.readAllLines(dir.resolve("memory.stat")).stream()
                .filter(l -> l.startsWith(key + " ")).map(l -> Long.parseLong(l.substring(key.length() + 1).trim()))
                .findFirst().orElseThrow();
        return new long[] {Math.max(0, usage - inactive), usage};
    }

    static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)").matcher(text);
        assertTrue(m.find(), name + " in\n" + text);
        String v = m.group(2);
        switch (v) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(v);
        }
    }

    static String scrape(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(20000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    static String scrapeUntil(String url, String needle, long timeoutMillis, Child app) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = scrape(url);
                if (last.contains(needle)) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(needle + " not in " + url + " within " + timeoutMillis + " ms; last:\n" + last + "\n" + app.dump());
    }

    static Path testClasses() throws Exception {
        return Paths.get(RegistryApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The test classes (the child applications) and every jar in a directory. */
    static String classPath(Path lib) throws Exception {
        assertTrue(Files.isDirectory(lib), lib + " (copied at pre-integration-test)");
        List<String> entries = new ArrayList<>();
        entries.add(testClasses().toString());
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        assertNotNull(entries);
        return String.join(java.io.File.pathSeparator, entries);
    }
}
