package dev.headroom.agent;

import dev.headroom.runtime.Config;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * premain must stay off the application's start-up path: on the calling thread it loads
 * {@link Launcher} and nothing else of ours; the set-up happens on the agent thread.
 */
class LauncherTest {

    /** Defines every dev.headroom class itself (so they load afresh) and notes which thread asked. */
    static final class RecordingLoader extends ClassLoader {
        final List<String> byCaller = new ArrayList<>();
        final List<String> all = new ArrayList<>();
        final Thread caller = Thread.currentThread();
        /** Refuse the agent thread: the test JVM must not start sampling for real. */
        final boolean callerOnly;

        RecordingLoader(boolean callerOnly) {
            super(LauncherTest.class.getClassLoader());
            this.callerOnly = callerOnly;
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.headroom.")) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                all.add(name);
                if (Thread.currentThread() == caller) {
                    byCaller.add(name);
                } else if (callerOnly) {
                    throw new ClassNotFoundException(name + " (refused by the test)");
                }
                byte[] bytes = bytes(name);
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }

        private static byte[] bytes(String name) throws ClassNotFoundException {
            try (InputStream in = LauncherTest.class.getClassLoader()
                    .getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    private static List<String> premainLoads(String args) throws Exception {
        RecordingLoader loader = new RecordingLoader(true);
        Class<?> launcher = Class.forName("dev.headroom.agent.Launcher", true, loader);
        launcher.getMethod("premain", String.class, Instrumentation.class).invoke(null, args, null);
        synchronized (loader) {
            return new ArrayList<>(loader.byCaller);
        }
    }

    @Test
    void premainLoadsOnlyTheLauncher() throws Exception {
        assertEquals(List.of("dev.headroom.agent.Launcher"), premainLoads(null));
    }

    @Test
    void withArgumentsTooPremainLoadsOnlyTheLauncher() throws Exception {
        // the exit hook is registered by the agent thread
        assertEquals(List.of("dev.headroom.agent.Launcher"), premainLoads("enabled=false"));
    }

    @Test
    void theAgentThreadLoadsTheRest() throws Exception {
        // disabled: the agent thread reads the configuration and stops there
        RecordingLoader loader = new RecordingLoader(false);
        Class<?> launcher = Class.forName("dev.headroom.agent.Launcher", true, loader);
        launcher.getMethod("premain", String.class, Instrumentation.class).invoke(null, "enabled=false", null);
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            synchronized (loader) {
                if (loader.all.contains("dev.headroom.runtime.Config")) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        synchronized (loader) {
            assertTrue(loader.all.contains("dev.headroom.agent.HeadroomAgent"), loader.all::toString);
            assertTrue(loader.all.contains("dev.headroom.runtime.Config"), loader.all::toString);
            assertTrue(loader.byCaller.size() <= 2, loader.byCaller::toString);
        }
    }
}
