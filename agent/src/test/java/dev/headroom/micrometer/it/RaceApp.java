package dev.headroom.micrometer.it;

import dev.headroom.sink.micrometer.CatchUpPause;
import dev.headroom.sink.micrometer.CatchUpPause.Step;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child-JVM application for {@code MicrometerIT.everyOrderingOfTheCatchUpBindsEveryRegistry}:
 * run with {@code -Dheadroom.micrometer.pause=true}, so the agent's catch-up stops at each
 * {@link Step} until this application releases it, and does at each step what a framework
 * could be doing at that moment. Prometheus classes through reflection (the test classes are
 * compiled against Micrometer 1.9); the class path is examples/micrometer-plain's (1.15 with the
 * Prometheus registry). Prints {@code BOUND name ms} or {@code UNBOUND name} per registry,
 * {@code FIRSTSCRAPE name true|false} per first scrape, then DONE. Whether a registry is bound is
 * read from its meter map, not through an API the agent watches.
 */
public final class RaceApp {

    private static final String PROMETHEUS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

    public static void main(String[] args) throws Exception {
        Map<String, MeterRegistry> registries = new LinkedHashMap<>();
        step(Step.BUILD);
        // Micrometer seen, the instrumenter not built: registries whose class is not instrumented
        registries.put("global-before", new SimpleMeterRegistry());
        Metrics.addRegistry(registries.get("global-before")); // Metrics and the composite loaded now
        registries.put("queried-before", new SimpleMeterRegistry());
        release(Step.BUILD);

        step(Step.INSTRUMENT);
        // built, the loaded classes not instrumented yet
        registries.put("added-later", new SimpleMeterRegistry());
        MeterRegistry scrapedBefore = prometheus();
        release(Step.INSTRUMENT);

        step(Step.WALK);
        // instrumented, the global registries not walked yet
        Metrics.addRegistry(registries.get("added-later"));
        release(Step.WALK);

        long instrumented = System.nanoTime();
        // created after: the constructor hook; never published, scraped or queried
        registries.put("untouched-after", new SimpleMeterRegistry());
        // bound on the first scrape, whichever API scrapes it
        firstScrape("scraped-before", scrapedBefore, false);
        firstScrape("scraped-after", prometheus(), false);
        firstScrape("client-scraped-after", prometheus(), true);
        // queried only
        registries.get("queried-before").forEachMeter(m -> { });
        long deadline = System.currentTimeMillis() + 15_000;
        Map<String, Long> bound = new LinkedHashMap<>();
        while (bound.size() < registries.size() && System.currentTimeMillis() < deadline) {
            for (Map.Entry<String, MeterRegistry> e : registries.entrySet()) {
                if (!bound.containsKey(e.getKey()) && hasWorkingSet(e.getValue())) {
                    bound.put(e.getKey(), (System.nanoTime() - instrumented) / 1_000_000);
                }
            }
            Thread.sleep(50);
        }
        for (String name : registries.keySet()) {
            System.out.println(bound.containsKey(name) ? "BOUND " + name + " " + bound.get(name) : "UNBOUND " + name);
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    private static void step(Step step) throws InterruptedException {
        if (!CatchUpPause.awaitReached(step, 60_000)) {
            System.out.println("NOTREACHED " + step);
            System.out.flush();
            System.exit(1);
        }
        System.out.println("AT " + step);
    }

    private static void release(Step step) {
        CatchUpPause.release(step);
    }

    private static MeterRegistry prometheus() throws Exception {
        Class<?> config = Class.forName("io.micrometer.prometheusmetrics.PrometheusConfig");
        return (MeterRegistry) Class.forName(PROMETHEUS).getConstructor(config).newInstance(config.getField("DEFAULT").get(null));
    }

    /** Scrapes once, through the registry or the Prometheus client's own registry, and says whether our series were there. */
    private static void firstScrape(String name, MeterRegistry registry, boolean client) throws Exception {
        String text;
        if (client) {
            Object prometheusRegistry = registry.getClass().getMethod("getPrometheusRegistry").invoke(registry);
            Object snapshots = prometheusRegistry.getClass().getMethod("scrape").invoke(prometheusRegistry);
            StringBuilder names = new StringBuilder();
            for (Object snapshot : (Iterable<?>) snapshots) {
                Object metadata = snapshot.getClass().getMethod("getMetadata").invoke(snapshot);
                Method getName = metadata.getClass().getMethod("getName");
                names.append(getName.invoke(metadata)).append('\n');
            }
            text = names.toString();
        } else {
            text = (String) registry.getClass().getMethod("scrape").invoke(registry);
        }
        System.out.println("FIRSTSCRAPE " + name + " " + text.contains("container_memory_working_set"));
    }

    /** Reads the registry's meter map directly: no getMeters()/forEachMeter() the agent would see. */
    private static boolean hasWorkingSet(MeterRegistry registry) throws Exception {
        Field f = MeterRegistry.class.getDeclaredField("meterMap");
        f.setAccessible(true);
        for (Object m : ((Map<?, ?>) f.get(registry)).values()) {
            if (((Meter) m).getId().getName().equals("container.memory.working_set")) {
                return true;
            }
        }
        return false;
    }
}
