package dev.headroom.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;

/**
 * HotSpot's -XX options through the diagnostic MXBean (no MBean server is created for it).
 * Every method answers "not known" (null, the fallback, false) on a JVM without the MXBean or
 * without the option, and never throws.
 */
public final class VmOptions {

    private VmOptions() {
    }

    /** The option's value, or null when this JVM has no such option (or no diagnostic MXBean). */
    public static String value(String name) {
        VMOption option = option(name);
        return option == null ? null : option.getValue();
    }

    public static boolean isTrue(String name) {
        return "true".equals(value(name));
    }

    /** A numeric option's value, or the fallback when it cannot be read. */
    public static long number(String name, long fallback) {
        String value = value(name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** True when the option is manageable: it can be changed while the JVM runs. */
    public static boolean writable(String name) {
        VMOption option = option(name);
        return option != null && option.isWriteable();
    }

    /**
     * True when someone chose the value (command line, JAVA_TOOL_OPTIONS, a flags file, or a
     * change at run time), not the JVM's default or its ergonomics.
     */
    public static boolean setByUser(String name) {
        VMOption option = option(name);
        if (option == null) {
            return false;
        }
        VMOption.Origin origin = option.getOrigin();
        return origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC;
    }

    /**
     * Sets a manageable option; throws what the MXBean throws, or UnsupportedOperationException
     * without one (the caller decides what a refusal means).
     */
    public static void set(String name, String value) {
        HotSpotDiagnosticMXBean hotspot = Hotspot.BEAN;
        if (hotspot == null) {
            throw new UnsupportedOperationException("no HotSpot diagnostic MXBean in this JVM");
        }
        hotspot.setVMOption(name, value);
    }

    private static VMOption option(String name) {
        try {
            HotSpotDiagnosticMXBean hotspot = Hotspot.BEAN;
            return hotspot == null ? null : hotspot.getVMOption(name);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The MXBean, looked up once, at the first question (a JVM without it fails here, as a LinkageError). */
    private static final class Hotspot {
        static final HotSpotDiagnosticMXBean BEAN = lookUp();

        private static HotSpotDiagnosticMXBean lookUp() {
            try {
                return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
