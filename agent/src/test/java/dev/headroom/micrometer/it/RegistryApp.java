package dev.headroom.micrometer.it;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A child-JVM application for MicrometerIT that knows nothing about headroom. Modes:
 * <ul>
 *   <li>{@code after}: creates a SimpleMeterRegistry after start and waits for the meters;</li>
 *   <li>{@code attach}: creates two registries (one in Metrics.globalRegistry, one standalone),
 *       prints READY, waits for a line on stdin (the test attaches the agent meanwhile), then
 *       waits for the meters in both;</li>
 *   <li>{@code bytebuddy}: uses its own Byte Buddy before and after, as Mockito or Hibernate would;</li>
 *   <li>{@code constructor}: prints READY, waits for a line on stdin (the test waits until the
 *       agent has instrumented MeterRegistry), then creates a registry that is never published
 *       (only {@code forEachMeter}, never {@code getMeters()}) and not in the global registry:
 *       only the constructor hook can find it;</li>
 *   <li>{@code idle}: as {@code after}, then waits until the agent's {@code headroom-micrometer}
 *       thread has ended (prints {@code IDLE ms} or {@code BUSY}) and runs the GC twice, so that
 *       class unloading shows what the agent still holds.</li>
 * </ul>
 * Prints {@code METER registry name{tags} value} lines, then DONE (exit 0) or TIMEOUT (exit 1).
 */
public final class RegistryApp {

    private static boolean PUBLISH = true;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "after";
        PUBLISH = !mode.equals("constructor");
        System.out.println("MICROMETER " + MeterRegistry.class.getPackage().getImplementationVersion());
        if (mode.equals("bytebuddy")) {
            System.out.println("BYTEBUDDY " + ForeignByteBuddy.use("before"));
        }
        if (mode.equals("library")) {
            // at once, while the agent is still in its start delay: must not start a second sampler
            System.out.println("STARTSAMPLING " + dev.headroom.micrometer.ContainerMemoryMetrics.startSampling());
        }
        List<MeterRegistry> registries = new ArrayList<>();
        if (mode.equals("attach")) {
            SimpleMeterRegistry global = new SimpleMeterRegistry();
            Metrics.addRegistry(global);
            registries.add(global);
            registries.add(new SimpleMeterRegistry());
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        } else if (mode.equals("constructor")) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            registries.add(new SimpleMeterRegistry());
        } else {
            Thread.sleep(300);
            registries.add(new SimpleMeterRegistry());
        }
        long deadline = System.currentTimeMillis() + Long.getLong("wait", 90_000);
        boolean all;
        do {
            Thread.sleep(200);
            all = true;
            for (MeterRegistry r : registries) {
                all &= hasWorkingSet(r);
            }
        } while (!all && System.currentTimeMillis() < deadline);
        Thread.sleep(1000); // the agent registers its meters one after another: let it finish
        for (int i = 0; i < registries.size(); i++) {
            for (Meter m : meters(registries.get(i))) {
                String name = m.getId().getName();
                if (name.startsWith("container.") || name.startsWith("headroom.")) {
                    StringBuilder tags = new StringBuilder();
                    m.getId().getTags().forEach(t -> tags.append(tags.length() == 0 ? "" : ",")
                            .append(t.getKey()).append('=').append(t.getValue()));
                    System.out.println("METER " + i + " " + name + "{" + tags + "} "
                            + m.measure().iterator().next().getValue()
                            + " unit=" + m.getId().getBaseUnit() + " type=" + m.getId().getType());
                }
            }
        }
        if (mode.equals("bytebuddy")) {
            System.out.println("BYTEBUDDY " + ForeignByteBuddy.use("after"));
        }
        if (mode.equals("idle")) {
            long start = System.currentTimeMillis();
            while (agentThreadAlive() && System.currentTimeMillis() - start < 60_000) {
                Thread.sleep(100);
            }
            System.out.println(agentThreadAlive() ? "BUSY" : "IDLE " + (System.currentTimeMillis() - start));
            System.out.flush();
            System.gc();
            Thread.sleep(200);
            System.gc();
            Thread.sleep(200);
        }
        System.out.println(all ? "DONE" : "TIMEOUT");
        System.out.flush();
        System.exit(all ? 0 : 1);
    }

    private static boolean agentThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("headroom-micrometer"));
    }

    /** The meters, without calling getMeters() (which the agent may watch). */
    private static List<Meter> meters(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        registry.forEachMeter(meters::add);
        return meters;
    }

    private static boolean hasWorkingSet(MeterRegistry registry) {
        if (PUBLISH) {
            registry.getMeters(); // as a push registry or Actuator's metrics endpoint would
        }
        for (Meter m : meters(registry)) {
            if (m.getId().getName().equals("container.memory.working_set")
                    && !Double.isNaN(m.measure().iterator().next().getValue())) {
                return true;
            }
        }
        return false;
    }
}
