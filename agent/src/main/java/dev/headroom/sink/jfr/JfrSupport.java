package dev.headroom.sink.jfr;

import dev.headroom.report.LogLines;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Sampler;

import java.lang.reflect.InvocationTargetException;

/**
 * headroom's own Flight Recorder events, where the JDK has {@code jdk.jfr}. This class is Java 8
 * bytecode like the rest of the agent; {@code Recorder} and the events are Java 11 bytecode
 * (src/main/java11, compiled after this class, so it names them by reflection) and are loaded
 * only after {@link #supported()} said yes: a Java 8 JVM, or a runtime image without jdk.jfr,
 * never sees them.
 */
public final class JfrSupport {

    static final String RECORDER = "dev.headroom.sink.jfr.Recorder";

    private JfrSupport() {
    }

    /** Called on the sampler thread at start: only adds a recorder listener (nothing else until a recording exists). */
    public static void install(Config config, Sampler sampler, LogSink sink, LogLines lines) throws Exception {
        if (!config.jfr() || !supported()) {
            return;
        }
        try {
            Class.forName(RECORDER, true, JfrSupport.class.getClassLoader())
                    .getDeclaredMethod("listen", Sampler.class, LogSink.class, LogLines.class)
                    .invoke(null, sampler, sink, lines);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    /** Java 11 or later with the jdk.jfr module (Java 8u272+ has a jdk.jfr too, but our events are Java 11 bytecode). */
    static boolean supported() {
        return javaMajor(System.getProperty("java.specification.version")) >= 11 && hasJfr();
    }

    /** "1.8" is 8, "11" is 11, "25" is 25; anything else 0. */
    static int javaMajor(String specificationVersion) {
        try {
            String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
            return Integer.parseInt(v);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static boolean hasJfr() {
        try {
            Class.forName("jdk.jfr.FlightRecorder", false, JfrSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
