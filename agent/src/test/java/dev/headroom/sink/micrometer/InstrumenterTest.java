package dev.headroom.sink.micrometer;

import dev.headroom.report.LogLines;
import dev.headroom.runtime.CapturingSink;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The instrumented classes, run for real: Micrometer's own classes, rewritten by
 * {@link Instrumenter} as the watcher would, defined (and so verified by the JVM) in a loader of
 * their own, and driven as an application would. Each hook point must reach {@link Bindings},
 * and a registry must have our meters on its first publish. {@link RegistryHook} is found
 * through the system class loader, as in production (the test class path is the system one).
 */
class InstrumenterTest {

    private final List<String> errors = new java.util.ArrayList<>();
    private final CapturingSink sink = new CapturingSink();

    @AfterEach
    void unhook() {
        RegistryHook.bindings = null;
    }

    /** Defines io.micrometer.* itself from Micrometer's jar, through the instrumenter. */
    private final class InstrumentedMicrometer extends URLClassLoader {
        private final Instrumenter instrumenter;

        InstrumentedMicrometer() {
            super(new URL[] {MeterRegistry.class.getProtectionDomain().getCodeSource().getLocation()},
                    InstrumenterTest.class.getClassLoader());
            Consumer<String> report = errors::add;
            instrumenter = (Instrumenter) Instrumenter.build(report);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("io.micrometer.")) {
                    String path = name.replace('.', '/');
                    try (InputStream in = getResourceAsStream(path + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        byte[] instrumented = instrumenter.transform(this, path, null, null, bytes);
                        byte[] b = instrumented == null ? bytes : instrumented;
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }
    }

    private Bindings bindings(long settleMillis) {
        Bindings b = new Bindings(() -> null, new Problems(sink, new LogLines(false)), new MicrometerThread(), settleMillis);
        RegistryHook.bindings = b;
        return b;
    }

    private static Object newRegistry(ClassLoader loader, String type) throws Exception {
        return loader.loadClass(type).getConstructor().newInstance();
    }

    private static boolean hasWorkingSet(Object registry) throws Exception {
        boolean[] found = {false};
        Method each = registry.getClass().getMethod("forEachMeter", Consumer.class);
        Method id = registry.getClass().getClassLoader().loadClass("io.micrometer.core.instrument.Meter").getMethod("getId");
        each.invoke(registry, (Consumer<Object>) m -> {
            try {
                Object meterId = id.invoke(m);
                found[0] |= meterId.getClass().getMethod("getName").invoke(meterId).equals("container.memory.working_set");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        });
        return found[0];
    }

    @Test
    void aRegistrysFirstPublishHasTheMeters() throws Exception {
        bindings(60_000);
        try (InstrumentedMicrometer loader = new InstrumentedMicrometer()) {
            Object registry = newRegistry(loader, "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
            List<?> meters = (List<?>) registry.getClass().getMethod("getMeters").invoke(registry);
            assertTrue(meters.size() > 20, "bound on this thread before getMeters() ran: " + meters.size() + " " + sink.lines());
            assertTrue(hasWorkingSet(registry));
            assertEquals(List.of(), errors);
            assertTrue(sink.lines().stream().anyMatch(l -> l.contains("container memory meters bound to "
                    + "io.micrometer.core.instrument.simple.SimpleMeterRegistry")), sink.lines().toString());
        }
    }

    @Test
    void theConstructorHookBindsARegistryNothingTouches() throws Exception {
        Bindings b = bindings(50);
        try (InstrumentedMicrometer loader = new InstrumentedMicrometer()) {
            Object registry = newRegistry(loader, "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
            b.onTick(); // the sampler's tick schedules what the constructor noted
            long end = System.currentTimeMillis() + 10_000;
            while (!hasWorkingSet(registry) && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertTrue(hasWorkingSet(registry), sink.lines().toString());
        }
    }

    @Test
    void compositesSearchesAndQueriesReachTheHooks() throws Exception {
        Bindings b = bindings(60_000);
        try (InstrumentedMicrometer loader = new InstrumentedMicrometer()) {
            // the constructor alone would wait a minute: each of these must bring the binding forward
            Object added = newRegistry(loader, "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
            Object composite = newRegistry(loader, "io.micrometer.core.instrument.composite.CompositeMeterRegistry");
            Class<?> meterRegistry = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
            composite.getClass().getMethod("add", meterRegistry).invoke(composite, added);

            Object searched = newRegistry(loader, "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
            Object search = meterRegistry.getMethod("find", String.class).invoke(searched, "x");
            assertNull(search.getClass().getMethod("meter").invoke(search));

            Object queried = newRegistry(loader, "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
            queried.getClass().getMethod("forEachMeter", Consumer.class).invoke(queried, (Consumer<Object>) m -> { });

            b.onTick();
            long end = System.currentTimeMillis() + 10_000;
            Object[] all = {added, searched, queried};
            while (System.currentTimeMillis() < end && !(hasWorkingSet(added) && hasWorkingSet(searched) && hasWorkingSet(queried))) {
                Thread.sleep(20);
            }
            for (Object r : all) {
                assertTrue(hasWorkingSet(r), sink.lines().toString());
            }
            assertEquals(List.of(), errors);
        }
    }

    @Test
    void otherClassesAndUnmatchedMethodsAreLeftAlone() throws Exception {
        Instrumenter instrumenter = (Instrumenter) Instrumenter.build(errors::add);
        byte[] bytes;
        try (InputStream in = MeterRegistry.class.getClassLoader()
                .getResourceAsStream("io/micrometer/core/instrument/Counter.class")) {
            bytes = in.readAllBytes();
        }
        assertNull(instrumenter.transform(null, "io/micrometer/core/instrument/Counter", null, null, bytes));
        assertNull(instrumenter.transform(null, null, null, null, bytes));
        // a garbled target class: one error, no exception, the class left as it is
        byte[] garbage = new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52, 0, 9};
        assertNull(instrumenter.transform(null, HookPoint.METER_REGISTRY, null, null, garbage));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("could not instrument io.micrometer.core.instrument.MeterRegistry: "), errors.get(0));
        assertNotNull(HookPoint.of(HookPoint.METER_REGISTRY));
    }
}
