package dev.headroom.jmx;

import dev.headroom.sink.jmx.ContainerMemory;
import dev.headroom.sink.jmx.JvmMemory;
import dev.headroom.sink.jmx.MemoryNotifications;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real remote JMX client against a child JVM with the agent, in a 512 MiB memory cgroup of its
 * own: it reads every attribute, checks them against the cgroup's files, and receives the level
 * change the child's steady heap growth causes (warn at 30% of the limit, critical at 50%).
 */
class JmxRemoteIT {

    private static final long LIMIT = 512L * 1024 * 1024;
    private static final long DRIFT = 64L * 1024 * 1024;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRemoteClientReadsEveryAttributeAndReceivesTheLevelChange() throws Exception {
        CgroupSandbox.requireCgroups();
        int port = freePort();
        Path examples = Path.of("..", "examples", "target", "headroom-examples.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(examples), examples + " is built by the reactor");
        Path log = Files.createTempFile("jmx-remote-child", ".log");
        Process child = null;
        JMXConnector connector = null;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            List<String> command = box.wrap(ChildJvm.builder()
                    .withAgent("jmxDelay=1s,interval=250ms,fastInterval=250ms,warn=0.3,critical=0.5,hysteresis=0.01")
                    .jvmArgs("-Xmx400m", "-Xms16m",
                            "-Dcom.sun.management.jmxremote.port=" + port,
                            "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                            "-Djava.rmi.server.hostname=127.0.0.1",
                            "-Dcom.sun.management.jmxremote.authenticate=false",
                            "-Dcom.sun.management.jmxremote.ssl=false")
                    .mainClass("dev.headroom.examples.Grow", examples.toString())
                    .args("--kind", "heap", "--rate", "16M", "--max", "320M", "--hold", "60s", "--quiet")
                    .javaCommand());
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            connector = connect(port, child, log);
            MBeanServerConnection mbsc = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(ContainerMemory.OBJECT_NAME);
            BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
            awaitRegistered(mbsc, name, child, log);
            mbsc.addNotificationListener(name, (n, h) -> received.add(n), null, null);

            // every attribute of both MBeans comes over the wire
            Map<String, Object> values = new HashMap<>();
            for (String mbean : List.of(ContainerMemory.OBJECT_NAME, JvmMemory.OBJECT_NAME)) {
                ObjectName on = new ObjectName(mbean);
                List<String> names = new ArrayList<>();
                for (MBeanAttributeInfo a : mbsc.getMBeanInfo(on).getAttributes()) {
                    names.add(a.getName());
                }
                AttributeList list = mbsc.getAttributes(on, names.toArray(new String[0]));
                assertEquals(names.size(), list.size(), mbean + " attributes read: " + list);
                for (Attribute a : list.asList()) {
                    assertNotNull(a.getValue(), a.getName());
                    values.put(a.getName(), a.getValue());
                }
                // the attribute table as JConsole's MBeans tab shows it (value toString, class name for composites)
                StringBuilder table = new StringBuilder(mbean).append('\n');
                for (Attribute a : list.asList()) {
                    Object v = a.getValue();
                    String shown = v instanceof javax.management.openmbean.TabularData || v instanceof CompositeData
                            ? v.getClass().getName() : v.getClass().isArray() ? java.util.Arrays.toString((Object[]) v) : v.toString();
                    table.append(String.format("  %-28s %s%n", a.getName(), shown));
                }
                System.out.println(table);
            }

            // against the cgroup's own files
            assertEquals(1, values.get("CgroupVersion"));
            assertEquals(box.cgroupPath(), values.get("CgroupPath"));
            // sizes and counts are integers, as JConsole shows the JDK's own
            assertEquals(LIMIT, values.get("LimitBytes"));
            assertEquals(LIMIT, values.get("BindingLimitBytes"));
            assertTrue(values.get("ThreadCount") instanceof Long && (Long) values.get("ThreadCount") > 1, values.get("ThreadCount")::toString);
            assertTrue(values.get("OomKills") instanceof Long, "OomKills");
            long usage = box.readLong("memory.usage_in_bytes");
            long workingSet = usage - box.readKey("memory.stat", "total_inactive_file");
            assertEquals(usage, (Long) values.get("UsageBytes"), DRIFT, "usage vs memory.usage_in_bytes");
            assertEquals(workingSet, (Long) values.get("WorkingSetBytes"), DRIFT, "working set vs memory.stat");
            long adj = Long.parseLong(Files.readString(Path.of("/proc", Long.toString(child.pid()), "oom_score_adj")).trim());
            assertEquals((int) adj, values.get("OomScoreAdj"));
            assertTrue((Long) values.get("HeapMaxBytes") >= 400.0 * 1024 * 1024 * 0.9, "HeapMaxBytes " + values.get("HeapMaxBytes"));
            String report = (String) mbsc.invoke(name, "report", null, null);
            assertTrue(report.contains(box.cgroupPath()), report);

            // the heap grows 16 MiB/s: past 30% of the limit (WARNING), then 50% (CRITICAL)
            Notification level = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (level == null && System.nanoTime() < deadline) {
                Notification n = received.poll(1, TimeUnit.SECONDS);
                if (n != null && n.getType().equals(MemoryNotifications.LEVEL)) {
                    level = n;
                }
            }
            assertNotNull(level, "no level notification within 60 s; child output:\n" + Files.readString(log));
            CompositeData data = (CompositeData) level.getUserData();
            assertTrue(List.of("WARNING", "CRITICAL").contains((String) data.get("level")), data.toString());
            assertEquals(LIMIT, data.get("limitBytes"));
            assertTrue((Double) data.get("utilization") >= 0.29, data.toString());
            assertEquals(name, level.getSource());
        } finally {
            if (connector != null) {
                try {
                    connector.close();
                } catch (Exception ignored) {
                    // the child may be gone
                }
            }
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static JMXConnector connect(int port, Process child, Path log) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("child exited " + child.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return JMXConnectorFactory.connect(url);
            } catch (Exception e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("could not connect to " + url + ":\n" + Files.readString(log), last);
    }

    private static void awaitRegistered(MBeanServerConnection mbsc, ObjectName name, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!mbsc.isRegistered(name)) {
            if (System.nanoTime() > deadline || !child.isAlive()) {
                fail(name + " not registered; child output:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

}
