package dev.headroom.sink.jmx;

import dev.headroom.jmx.ContainerMemoryMXBean;
import dev.headroom.jmx.JvmMemoryMXBean;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Thresholds;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.runtime.SampleReader;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MXBeans in a fresh MBean server, fed by real assessments of fixture trees. */
class ContainerMemoryMBeanTest {

    private static final String POD = "sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
            + "kubepods-burstable-pod18f8457c_a935_ac59_1548_86706c926834.slice";
    private static final String LEAF = POD + "/cri-containerd-f33cf172e3951a45e10f94b35e0b05e2ab3986964ad3a61a2f320a29f002b4ff.scope";

    @TempDir
    Path temp;

    private final AtomicReference<Assessment> latest = new AtomicReference<>();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final Analyzer analyzer = new Analyzer(Thresholds.defaults());
    private HeadroomMBeans mbeans;

    @AfterEach
    void unregister() throws Exception {
        if (mbeans != null) {
            mbeans.unregister();
        }
    }

    static Path fixture(String layout) {
        Path here = Path.of("src/test/resources/fixtures", layout);
        return (Files.isDirectory(here) ? here : Path.of("agent/src/test/resources/fixtures", layout)).toAbsolutePath();
    }

    private Path copy(String layout) throws IOException {
        Path from = fixture(layout).resolve("root");
        Path to = temp.resolve(layout);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private Assessment assess(Path root) {
        ChannelFileSource files = new ChannelFileSource();
        try {
            Assessment a = analyzer.assess(new SampleReader(files, root.toString()).read());
            latest.set(a);
            return a;
        } finally {
            files.close();
        }
    }

    private Map<String, Object> attributes(ObjectName name) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        MBeanInfo info = server.getMBeanInfo(name);
        assertTrue(info.getAttributes().length > 10, "attributes of " + name);
        for (MBeanAttributeInfo attribute : info.getAttributes()) {
            String n = attribute.getName();
            assertTrue(attribute.isReadable(), n);
            assertFalse(attribute.isWritable(), n + " must be read-only");
            Object openType = attribute.getDescriptor().getFieldValue("openType");
            assertInstanceOf(OpenType.class, openType, n + " has no open type");
            Object value = server.getAttribute(name, n);
            // OomScoreAdj can be -1 for real, so its unknown is null
            assertTrue(value == null ? n.equals("OomScoreAdj") : ((OpenType<?>) openType).isValue(value),
                    n + " = " + value + " is not a value of " + openType);
            assertNotNull(Descriptions.of(n), n + " has no description");
            assertEquals(Descriptions.of(n), attribute.getDescription(), n);
            out.put(n, value);
        }
        return out;
    }

    private static double number(Map<String, Object> json, String key) {
        Object v = json.get(key);
        assertInstanceOf(BigDecimal.class, v, key);
        return ((BigDecimal) v).doubleValue();
    }

    @Test
    void interfacesAreMXBeans() {
        assertTrue(JMX.isMXBeanInterface(ContainerMemoryMXBean.class));
        assertTrue(JMX.isMXBeanInterface(JvmMemoryMXBean.class));
    }

    @Test
    void everyAttributeIsReadableOpenAndMatchesTheFixture() throws Exception {
        Assessment a = assess(copy("v2-kubernetes"));
        mbeans = HeadroomMBeans.register(server, latest::get);
        Map<String, Object> v = attributes(new ObjectName(ContainerMemory.OBJECT_NAME));
        Map<String, Object> expected = Json.parseObject(Files.readString(
                fixture("v2-kubernetes").resolve("expected.json"), StandardCharsets.UTF_8));

        assertEquals(2, v.get("CgroupVersion"));
        assertEquals(expected.get("cgroupPath"), v.get("CgroupPath"));
        assertEquals(expected.get("cgroupDir"), v.get("CgroupDir"));
        assertEquals(false, v.get("Approximate"));
        assertEquals(expected.get("limitDir"), v.get("LimitDir"));
        Map<String, String> sameNumbers = new LinkedHashMap<>();
        sameNumbers.put("LimitBytes", "limitBytes");
        sameNumbers.put("HostMemoryBytes", "hostMemoryBytes");
        sameNumbers.put("UsageBytes", "usageBytes");
        sameNumbers.put("WorkingSetBytes", "workingSetBytes");
        sameNumbers.put("AnonBytes", "anonBytes");
        sameNumbers.put("FileBytes", "fileBytes");
        sameNumbers.put("ShmemBytes", "shmemBytes");
        sameNumbers.put("InactiveFileBytes", "inactiveFileBytes");
        sameNumbers.put("SwapBytes", "swapBytes");
        sameNumbers.put("SwapLimitBytes", "swapLimitBytes");
        sameNumbers.put("PeakBytes", "peakBytes");
        sameNumbers.put("HighBytes", "highBytes");
        sameNumbers.put("HeadroomBytes", "headroomBytes");
        sameNumbers.put("OomScoreAdj", "oomScoreAdj");
        sameNumbers.put("OomScore", "oomScore");
        sameNumbers.put("OomKills", "oomKills");
        sameNumbers.put("LimitHits", "limitHits");
        for (Map.Entry<String, String> e : sameNumbers.entrySet()) {
            Object value = v.get(e.getKey());
            // integers, as the JDK's own memory and OS MXBeans show them
            Class<?> type = e.getKey().equals("OomScoreAdj") ? Integer.class : Long.class;
            assertInstanceOf(type, value, e.getKey());
            assertEquals((long) number(expected, e.getValue()), ((Number) value).longValue(), e.getKey());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> psi = (Map<String, Object>) expected.get("pressure");
        assertEquals(number(psi, "someAvg10"), (Double) v.get("PressureSomeAvg10"), 1e-9);
        assertEquals(number(psi, "someAvg60"), (Double) v.get("PressureSomeAvg60"), 1e-9);
        assertEquals(number(psi, "someAvg300"), (Double) v.get("PressureSomeAvg300"), 1e-9);
        assertEquals(number(psi, "fullAvg10"), (Double) v.get("PressureFullAvg10"), 1e-9);
        assertEquals(number(psi, "fullAvg60"), (Double) v.get("PressureFullAvg60"), 1e-9);
        assertEquals(number(psi, "fullAvg300"), (Double) v.get("PressureFullAvg300"), 1e-9);
        assertEquals((long) number(psi, "someTotalMicros"), v.get("PressureSomeTotalMicros"));
        assertEquals((long) number(psi, "fullTotalMicros"), v.get("PressureFullTotalMicros"));

        // the pod level binds: 768 MiB, its working set 80138240 bytes short of it (90.0%: WARNING by default)
        assertEquals(expected.get("limitDir"), v.get("BindingDir"));
        assertEquals(805306368L, v.get("BindingLimitBytes"));
        assertEquals(805306368L - 80138240L, v.get("BindingWorkingSetBytes"));
        assertEquals(80138240.0 / 805306368.0, (Double) v.get("HeadroomRatio"), 1e-12);
        assertEquals((805306368.0 - 80138240.0) / 805306368.0, (Double) v.get("Utilization"), 1e-12);
        assertEquals("WARNING", v.get("Level"));
        assertEquals(1, v.get("LevelNumber"));
        assertEquals("utilization", v.get("Cause"));
        assertEquals("burstable", v.get("OomScoreAdjClass"));
        assertTrue(((String) v.get("OomScoreAdjMeaning")).contains("Burstable"), (String) v.get("OomScoreAdjMeaning"));
        assertEquals(Math.round(32 * 16762257408.0 / 1000), v.get("ImpliedMemoryRequestBytes"));
        assertEquals("968: Kubernetes Burstable QoS, memory request about 511.5 MiB", v.get("OomScoreAdjMeaning"));
        assertEquals(a.sample.wallMillis, v.get("SampleTimeMillis"));
        assertEquals(0L, v.get("Sequence"));
        assertEquals(0, ((String[]) v.get("Warnings")).length);

        // unknown until there is a trend: NaN, never 0
        assertTrue(Double.isNaN((Double) v.get("GrowthBytesPerSecond")));
        assertTrue(Double.isNaN((Double) v.get("SecondsToLimit")));
        assertEquals(false, v.get("Predicted"));

        String report = (String) server.invoke(new ObjectName(ContainerMemory.OBJECT_NAME), "report", null, null);
        assertTrue(report.startsWith("headroom snapshot"), report);
        assertTrue(report.contains("768.0 MiB"), report);
        assertTrue(report.contains("WARNING (utilization)"), report);
        // the label once, then what the value means
        assertTrue(report.contains("\n  oom_score_adj  968: Kubernetes Burstable QoS, memory request about 511.5 MiB\n"), report);
        assertFalse(report.contains("oom_score_adj  oom_score_adj"), report);
    }

    @Test
    void unknownSizesAreMinusOneAndUnsetLimitsLongMax() throws Exception {
        assess(copy("v1-docker"));
        mbeans = HeadroomMBeans.register(server, latest::get);
        Map<String, Object> v = attributes(new ObjectName(ContainerMemory.OBJECT_NAME));
        assertEquals(1, v.get("CgroupVersion"));
        // cgroup v1 has no memory.high, no memory.events oom_kill counter of that name: -1, never 0
        assertEquals(-1L, v.get("HighBytes"));
        assertEquals(-1L, v.get("OomGroupKills"));
        // swap accounting off: unknown (expected.json has null), not 0
        assertEquals(-1L, v.get("SwapBytes"));
        assertEquals(-1L, v.get("SwapLimitBytes"));
        // memory.soft_limit_in_bytes 9223372036854771712 (unset): Long.MAX_VALUE, unlimited is not unknown
        assertEquals(Long.MAX_VALUE, v.get("SoftLimitBytes"));
        // the container's limit is real, the host binds neither
        assertTrue((Long) v.get("LimitBytes") > 0 && (Long) v.get("LimitBytes") < Long.MAX_VALUE, v.get("LimitBytes")::toString);

        // no JVM breakdown measured (as in the CLI): every JvmMemory size and count is -1, every rate NaN
        Map<String, Object> jvm = attributes(new ObjectName(JvmMemory.OBJECT_NAME));
        for (Map.Entry<String, Object> e : jvm.entrySet()) {
            // GrowthSeconds belongs to the analysis (0 s at the first sample), not to the JVM breakdown
            if (e.getValue() instanceof Double d && !e.getKey().equals("GrowthSeconds")) {
                assertTrue(Double.isNaN(d), e.getKey() + " = " + d);
            }
            if (e.getValue() instanceof Long l) {
                assertEquals(-1L, l, e.getKey());
            }
        }
    }

    @Test
    void beforeTheFirstSampleEverythingIsUnknown() throws Exception {
        mbeans = HeadroomMBeans.register(server, latest::get);
        Map<String, Object> v = attributes(new ObjectName(ContainerMemory.OBJECT_NAME));
        assertEquals("UNKNOWN", v.get("Level"));
        assertEquals(-1L, v.get("WorkingSetBytes"));
        assertEquals(-1L, v.get("LimitBytes"));
        assertEquals(-1, v.get("LevelNumber"));
        assertNull(v.get("OomScoreAdj"));
        assertTrue(Double.isNaN((Double) v.get("Utilization")));
        assertEquals(-1L, v.get("Sequence"));
        assertEquals(-1L, v.get("SampleTimeMillis"), "unknown, never 0");
        assertEquals(-1, v.get("CgroupVersion"), "unknown, not \"no cgroup\"");
    }

    @Test
    void levelChangeOomKillAndLimitChangeAreNotified() throws Exception {
        Path root = copy("v2-kubernetes");
        assess(root);
        mbeans = HeadroomMBeans.register(server, latest::get);
        ObjectName name = new ObjectName(ContainerMemory.OBJECT_NAME);

        Set<String> declared = new HashSet<>();
        for (MBeanNotificationInfo info : server.getMBeanInfo(name).getNotifications()) {
            declared.addAll(Arrays.asList(info.getNotifTypes()));
        }
        assertEquals(Set.of(MemoryNotifications.LEVEL, MemoryNotifications.OOM_KILL, MemoryNotifications.LIMIT_CHANGE,
                MemoryNotifications.RELIEF), declared);
        for (MBeanOperationInfo op : server.getMBeanInfo(name).getOperations()) {
            assertEquals(MBeanOperationInfo.INFO, op.getImpact(), op.getName() + " must only read");
        }

        List<Notification> received = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, handback) -> received.add(n), null, null);

        // nothing changed: nothing sent
        mbeans.notifications().onAssessment(assess(root));
        assertEquals(List.of(), received);

        // the pod's limit shrinks to 740,000,000 bytes (98% used: CRITICAL) and the container is OOM-killed once more
        Files.writeString(root.resolve(POD).resolve("memory.max"), "740000000\n");
        Path events = root.resolve(LEAF).resolve("memory.events");
        Files.writeString(events, Files.readString(events).replace("oom_kill 2", "oom_kill 3"));
        Assessment a = assess(root);
        mbeans.notifications().onAssessment(a);

        List<String> types = new ArrayList<>();
        for (Notification n : received) {
            types.add(n.getType());
            assertEquals(name, n.getSource());
            assertEquals(a.sample.wallMillis, n.getTimeStamp());
        }
        assertEquals(List.of(MemoryNotifications.LEVEL, MemoryNotifications.OOM_KILL, MemoryNotifications.LIMIT_CHANGE),
                types);

        Notification level = received.get(0);
        assertTrue(level.getMessage().startsWith("level WARNING -> CRITICAL (utilization)"), level.getMessage());
        CompositeData data = (CompositeData) level.getUserData();
        assertEquals(MemoryNotifications.EVENT_TYPE, data.getCompositeType());
        assertEquals("CRITICAL", data.get("level"));
        assertEquals("WARNING", data.get("previousLevel"));
        assertEquals("utilization", data.get("cause"));
        assertEquals(740000000L, data.get("limitBytes"));
        assertEquals(805306368L, data.get("previousLimitBytes"));
        assertEquals(805306368L - 80138240L, data.get("workingSetBytes"));
        assertEquals(740000000L - (805306368L - 80138240L), data.get("headroomBytes"));
        assertEquals((805306368.0 - 80138240.0) / 740000000.0, (Double) data.get("utilization"), 1e-12);
        assertEquals(3L, data.get("oomKills"));

        CompositeData kill = (CompositeData) received.get(1).getUserData();
        assertEquals(1L, kill.get("newOomKills"));
        assertTrue(received.get(1).getMessage().startsWith("1 OOM kill(s) in the cgroup (3 in total)"),
                received.get(1).getMessage());
        assertTrue(received.get(2).getMessage().startsWith("binding limit changed from 768.0 MiB to 705.7 MiB"),
                received.get(2).getMessage());
        // sequence numbers increase
        assertTrue(received.get(0).getSequenceNumber() < received.get(1).getSequenceNumber());

        // the attributes follow the latest sample
        assertEquals("CRITICAL", server.getAttribute(name, "Level"));
        assertEquals(3L, server.getAttribute(name, "OomKills"));
    }

    @Test
    void aListenerThatThrowsNeitherStopsTheOthersNorReachesTheSampler() throws Exception {
        Path root = copy("v2-kubernetes");
        assess(root);
        mbeans = HeadroomMBeans.register(server, latest::get);
        ObjectName name = new ObjectName(ContainerMemory.OBJECT_NAME);
        List<Notification> received = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, h) -> {
            throw new IllegalStateException("listener bug");
        }, null, null);
        server.addNotificationListener(name, (n, h) -> received.add(n), null, null);
        Files.writeString(root.resolve(POD).resolve("memory.max"), "740000000\n");
        mbeans.notifications().onAssessment(assess(root));
        assertEquals(2, received.size());
    }

    @Test
    void aCustomLogManagerOrBuilderThatIsNotLoadableYetHoldsRegistrationBack() {
        String before = System.getProperty("java.util.logging.manager");
        try {
            System.setProperty("java.util.logging.manager", "org.example.NotThereLogManager");
            String why = LateRegistration.blocker(ClassLoader.getSystemClassLoader());
            assertNotNull(why);
            assertTrue(why.contains("java.util.logging.manager=org.example.NotThereLogManager"), why);
            System.setProperty("java.util.logging.manager", "java.util.logging.LogManager");
            assertNull(LateRegistration.blocker(ClassLoader.getSystemClassLoader()));
        } finally {
            if (before == null) {
                System.clearProperty("java.util.logging.manager");
            } else {
                System.setProperty("java.util.logging.manager", before);
            }
        }
    }

    @Test
    void sizesAndCountsAreIntegersRatiosAndRatesDoubles() throws Exception {
        assess(copy("v2-kubernetes"));
        mbeans = HeadroomMBeans.register(server, latest::get);
        int checked = 0;
        for (String mbean : List.of(ContainerMemory.OBJECT_NAME, JvmMemory.OBJECT_NAME)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(new ObjectName(mbean)).getAttributes()) {
                String n = attribute.getName();
                boolean rate = n.endsWith("PerSecond") || n.endsWith("Ratio") || n.equals("Utilization")
                        || n.equals("SecondsToLimit") || n.equals("GrowthSeconds") || n.matches("Pressure.*Avg\\d+");
                boolean integer = !rate && !n.equals("GrownBytes") && (n.endsWith("Bytes") || n.endsWith("Count") || n.endsWith("Kills")
                        || n.endsWith("Hits") || n.endsWith("Events") || n.endsWith("Micros") || n.equals("Processes")
                        || n.equals("OomScore") || n.equals("Sequence") || n.equals("SampleTimeMillis"));
                if (rate) {
                    assertEquals("double", attribute.getType(), n);
                    checked++;
                } else if (integer) {
                    assertEquals("long", attribute.getType(), n);
                    checked++;
                }
            }
        }
        assertTrue(checked > 60, "checked " + checked);
        ObjectName container = new ObjectName(ContainerMemory.OBJECT_NAME);
        assertEquals("int", attributeType(container, "LevelNumber"));
        assertEquals("java.lang.Integer", attributeType(container, "OomScoreAdj"));
    }

    private String attributeType(ObjectName name, String attribute) throws Exception {
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            if (a.getName().equals(attribute)) {
                return a.getType();
            }
        }
        throw new AssertionError(attribute);
    }

    @Test
    void everyNotificationTypeIsAnEntryAPersonCanTellApart() throws Exception {
        mbeans = HeadroomMBeans.register(server, latest::get);
        MBeanNotificationInfo[] infos = server.getMBeanInfo(new ObjectName(ContainerMemory.OBJECT_NAME)).getNotifications();
        assertEquals(4, infos.length);
        Set<String> names = new HashSet<>();
        Set<String> descriptions = new HashSet<>();
        for (MBeanNotificationInfo info : infos) {
            assertEquals(1, info.getNotifTypes().length, info.toString());
            // JConsole labels each entry by its name: the type, so the nodes differ
            assertEquals(info.getNotifTypes()[0], info.getName());
            assertTrue(info.getDescription().contains("javax.management.Notification"), info.getDescription());
            names.add(info.getName());
            descriptions.add(info.getDescription());
        }
        assertEquals(Set.of(MemoryNotifications.LEVEL, MemoryNotifications.OOM_KILL, MemoryNotifications.LIMIT_CHANGE,
                MemoryNotifications.RELIEF), names);
        assertEquals(4, descriptions.size());
    }

    @Test
    void grownIsReadableTextAndGrownBytesSignedWithUnknownLeftOut() throws Exception {
        assess(copy("v1-docker"));
        mbeans = HeadroomMBeans.register(server, latest::get);
        ObjectName jvm = new ObjectName(JvmMemory.OBJECT_NAME);
        // no JVM breakdown: only page cache (working set - anon) can be measured, and at the first sample nothing grew
        javax.management.openmbean.TabularData grown = (javax.management.openmbean.TabularData) server.getAttribute(jvm, "GrownBytes");
        assertEquals(1, grown.size(), grown::toString);
        CompositeData row = (CompositeData) grown.values().iterator().next();
        assertEquals("pagecache", row.get("key"));
        assertEquals(0L, row.get("value"));
        assertEquals("no component grew by 1 MiB or more since the last OK state", server.getAttribute(jvm, "Grown"));
        assertEquals("other", server.getAttribute(jvm, "TopGrower"));
    }

    @Test
    void reliefEventsAreNotified() throws Exception {
        assess(copy("v2-kubernetes"));
        mbeans = HeadroomMBeans.register(server, latest::get);
        ObjectName name = new ObjectName(ContainerMemory.OBJECT_NAME);
        List<Notification> received = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, handback) -> received.add(n), null, null);

        mbeans.notifications().onRelief(new dev.headroom.runtime.Relief("heap", dev.headroom.runtime.Relief.Outcome.DONE,
                "heap committed 200.0 MiB -> 8.0 MiB", 192L << 20, 7_000_000, 240L << 20, 60L << 20, 1_700_000_000_000L));
        mbeans.notifications().onRelief(dev.headroom.runtime.Relief.note("native", dev.headroom.runtime.Relief.Outcome.SKIPPED,
                "no such command", 1_700_000_001_000L));

        assertEquals(2, received.size());
        Notification done = received.get(0);
        assertEquals(MemoryNotifications.RELIEF, done.getType());
        assertEquals(name, done.getSource());
        assertEquals(1_700_000_000_000L, done.getTimeStamp());
        assertEquals("relief heap done: heap committed 200.0 MiB -> 8.0 MiB", done.getMessage());
        CompositeData data = (CompositeData) done.getUserData();
        assertEquals(MemoryNotifications.RELIEF_TYPE, data.getCompositeType());
        assertEquals("heap", data.get("action"));
        assertEquals("done", data.get("outcome"));
        assertEquals(192L << 20, data.get("freedBytes"));
        assertEquals(7.0, (Double) data.get("durationMillis"), 1e-9);
        assertEquals(240L << 20, data.get("workingSetBeforeBytes"));
        assertEquals(60L << 20, data.get("workingSetAfterBytes"));
        CompositeData skipped = (CompositeData) received.get(1).getUserData();
        assertEquals("skipped", skipped.get("outcome"));
        assertTrue(Double.isNaN((Double) skipped.get("durationMillis")), "nothing ran");
        assertEquals(-1L, skipped.get("workingSetBeforeBytes"), "not measured");
    }

    @Test
    void theReadmeDocumentsEveryAttributeAndNotification() throws Exception {
        Path readme = Path.of("../examples/jmx/README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("examples/jmx/README.md");
        }
        String text = Files.readString(readme);
        for (String mbean : List.of(ContainerMemory.OBJECT_NAME, JvmMemory.OBJECT_NAME)) {
            assertTrue(text.contains(mbean), mbean);
        }
        mbeans = HeadroomMBeans.register(server, latest::get);
        for (String mbean : List.of(ContainerMemory.OBJECT_NAME, JvmMemory.OBJECT_NAME)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(new ObjectName(mbean)).getAttributes()) {
                assertTrue(text.contains("`" + attribute.getName() + "`"), attribute.getName() + " missing from " + readme);
            }
        }
        for (String type : List.of(MemoryNotifications.LEVEL, MemoryNotifications.OOM_KILL, MemoryNotifications.LIMIT_CHANGE,
                MemoryNotifications.RELIEF)) {
            assertTrue(text.contains(type), type);
        }
        for (String item : MemoryNotifications.ITEMS) {
            assertTrue(text.contains("`" + item + "`"), item);
        }
        for (String item : MemoryNotifications.RELIEF_ITEMS) {
            assertTrue(text.contains("`" + item + "`"), item);
        }
    }
}
