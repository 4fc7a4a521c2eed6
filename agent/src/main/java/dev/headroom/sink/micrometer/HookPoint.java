package dev.headroom.sink.micrometer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One place in Micrometer's (or the Prometheus client's) classes where {@link Instrumenter} puts
 * a call to {@link RegistryHook}: the class, the method, which registry to hand over (the
 * receiver or the first argument) and the hook method. Constructors call their hook on exit (the
 * object exists by then), other methods on entry. Public: {@link Instrumenter} reads it from the
 * nested loader.
 */
public final class HookPoint {

    static final String METER_REGISTRY = "io/micrometer/core/instrument/MeterRegistry";
    static final String COMPOSITE = "io/micrometer/core/instrument/composite/CompositeMeterRegistry";
    static final String PROMETHEUS = "io/micrometer/prometheus/PrometheusMeterRegistry";
    static final String PROMETHEUS_METRICS = "io/micrometer/prometheusmetrics/PrometheusMeterRegistry";
    static final String CLIENT_REGISTRY = "io/prometheus/metrics/model/registry/PrometheusRegistry";
    static final String SIMPLECLIENT_REGISTRY = "io/prometheus/client/CollectorRegistry";
    private static final String MR = "Lio/micrometer/core/instrument/MeterRegistry;";

    private static final List<HookPoint> ALL = Collections.unmodifiableList(Arrays.asList(
            // every registry, of every subclass, runs this constructor
            new HookPoint(METER_REGISTRY, "<init>", null, 0, "created"),
            // published: push registries, Actuator's metrics endpoint
            new HookPoint(METER_REGISTRY, "getMeters", "()Ljava/util/List;", 0, "published"),
            // queried: found soon, off the application's thread
            new HookPoint(METER_REGISTRY, "forEachMeter", "(Ljava/util/function/Consumer;)V", 0, "queried"),
            new HookPoint("io/micrometer/core/instrument/search/Search", "<init>", "(" + MR + ")V", 1, "queried"),
            new HookPoint("io/micrometer/core/instrument/search/RequiredSearch", "<init>", "(" + MR + ")V", 1, "queried"),
            // Metrics.addRegistry and every other composite
            new HookPoint(COMPOSITE, "add", "(" + MR + ")Lio/micrometer/core/instrument/composite/CompositeMeterRegistry;",
                    1, "added"),
            new HookPoint(PROMETHEUS, "scrape", null, 0, "published"),
            new HookPoint(PROMETHEUS_METRICS, "scrape", null, 0, "published"),
            // scraped through the Prometheus client's own registry (Spring Boot 3.5's Actuator)
            new HookPoint(CLIENT_REGISTRY, "scrape", null, 0, "clientScraped"),
            new HookPoint(SIMPLECLIENT_REGISTRY, "metricFamilySamples", "()Ljava/util/Enumeration;", 0, "clientScraped"),
            new HookPoint(SIMPLECLIENT_REGISTRY, "filteredMetricFamilySamples", null, 0, "clientScraped")));

    /** Internal name of the class, {@code a/b/C}. */
    public final String owner;
    public final String method;
    /** The exact descriptor, or null for every overload. */
    public final String descriptor;
    /** The local variable handed to the hook: 0 the receiver, 1 the first argument. */
    public final int local;
    /** The {@link RegistryHook} method, taking one Object. */
    public final String hook;

    private HookPoint(String owner, String method, String descriptor, int local, String hook) {
        this.owner = owner;
        this.method = method;
        this.descriptor = descriptor;
        this.local = local;
        this.hook = hook;
    }

    public boolean matches(String name, String desc) {
        return method.equals(name) && (descriptor == null || descriptor.equals(desc));
    }

    /** The hook points of one class (internal name); empty for any other class. */
    public static List<HookPoint> of(String internalName) {
        List<HookPoint> points = new ArrayList<>(3);
        for (HookPoint p : ALL) {
            if (p.owner.equals(internalName)) {
                points.add(p);
            }
        }
        return points;
    }

    /** Whether a class (internal name) is instrumented; a cheap test for every Micrometer class load. */
    static boolean isTarget(String internalName) {
        for (HookPoint p : ALL) {
            if (p.owner.equals(internalName)) {
                return true;
            }
        }
        return false;
    }

    /** The class names (binary, {@code a.b.C}) that hold hook points, each once. */
    static List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (HookPoint p : ALL) {
            String name = p.owner.replace('/', '.');
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
