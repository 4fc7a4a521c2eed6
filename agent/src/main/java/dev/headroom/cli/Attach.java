package dev.headroom.cli;

import dev.headroom.agent.HeadroomAgent;
import dev.headroom.runtime.Config;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * {@code attach <pid> [key=value,...]}: loads this jar as an agent into a running JVM through the
 * Attach API (reached by reflection: it is the jdk.attach module on 9+, tools.jar on 8). Exit
 * codes: 0 attached (or already running: then nothing is done), 1 the attach failed, 2 usage.
 */
final class Attach {

    static final String USAGE = "usage: java -jar headroom-agent.jar attach <pid> [key=value,...]";

    private Attach() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String wrong = args.length == 0 ? "the pid of the JVM to attach to is missing"
                : !args[0].matches("[0-9]{1,10}") ? "'" + args[0] + "' is not a pid (a process id is a number)"
                : args.length > 2 ? "too many arguments: settings are one argument, key=value,key=value" : null;
        if (wrong != null) {
            err.println("headroom: " + wrong + "; find the pid with jps or pgrep java\n" + USAGE);
            return 2;
        }
        String pid = args[0];
        String options = args.length == 2 ? args[1] : "";
        // checked here, where the person who typed them sees it: the agent loads once per JVM, so a
        // typo attached would stay until the target restarts, reported only on the target's stderr
        List<String> problems = Config.parse(options, Collections.<String, String>emptyMap(),
                Collections.<String, String>emptyMap()).problems();
        if (!problems.isEmpty()) {
            for (String problem : problems) {
                err.println("headroom: " + problem.replaceFirst("; (using .*|ignored)$", ""));
            }
            err.println("headroom: nothing attached (the agent loads once per JVM): fix the settings and run again");
            return 2;
        }
        File proc = new File("/proc/" + pid);
        if (!proc.isDirectory()) {
            err.println("headroom: no process with pid " + pid);
            return 1;
        }
        if (pid.equals(selfPid())) {
            err.println("headroom: pid " + pid + " is this command itself; give the pid of the JVM to watch");
            return 1;
        }
        String owner = owner(proc);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me) && !"root".equals(me)) {
            err.println("headroom: process " + pid + " belongs to user " + owner + "; attach as that user, e.g. "
                    + "sudo -u " + owner + " java -jar headroom-agent.jar attach " + pid);
            return 1;
        }
        if (!isJvm(proc)) {
            err.println("headroom: process " + pid + " is not a Java virtual machine (no libjvm in its memory map)");
            return 1;
        }
        String jar = ownJar();
        if (jar == null) {
            err.println("headroom: cannot find headroom-agent.jar to load (run attach with java -jar)");
            return 1;
        }
        Class<?> vmClass = attachApi(err);
        if (vmClass == null) {
            return 1;
        }
        Object vm = null;
        try {
            vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            Properties props = (Properties) vmClass.getMethod("getSystemProperties").invoke(vm);
            String running = props.getProperty(HeadroomAgent.ACTIVE_PROPERTY);
            if (running != null) {
                out.println("headroom is already running in process " + pid + " (version " + running + "); nothing done");
                return 0;
            }
            vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, jar, options);
            out.println("headroom attached to process " + pid + "; its lines appear on that process's stderr");
            return 0;
        } catch (InvocationTargetException e) {
            err.println("headroom: attach to " + pid + " failed: " + explain(e.getCause(), pid));
            return 1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            err.println("headroom: attach to " + pid + " failed: " + e);
            return 1;
        } finally {
            detach(vmClass, vm);
        }
    }

    private static String explain(Throwable cause, String pid) {
        String name = cause.getClass().getSimpleName();
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        if (name.equals("AttachNotSupportedException")) {
            return "the JVM does not accept attach (not a HotSpot JVM, started with -XX:+DisableAttachMechanism, "
                    + "another user's process, or not a JVM at all): " + message;
        }
        if (name.equals("AgentLoadException") || name.equals("AgentInitializationException")) {
            return "the JVM refused the agent (" + name + "): " + message;
        }
        return name + ": " + message;
    }

    private static void detach(Class<?> vmClass, Object vm) {
        if (vm == null) {
            return;
        }
        try {
            vmClass.getMethod("detach").invoke(vm);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // the attach itself succeeded or already failed; nothing more to say
        }
    }

    /** The Attach API's VirtualMachine class: in the JDK on 9+, in lib/tools.jar on 8. */
    private static Class<?> attachApi(PrintStream err) {
        try {
            return Class.forName("com.sun.tools.attach.VirtualMachine");
        } catch (ClassNotFoundException e) {
            File tools = new File(System.getProperty("java.home"), "../lib/tools.jar");
            if (tools.isFile()) {
                try {
                    URLClassLoader loader = new URLClassLoader(new URL[] {tools.toURI().toURL()}, null);
                    return Class.forName("com.sun.tools.attach.VirtualMachine", true, loader);
                } catch (Exception ignored) {
                    // fall through to the message
                }
            }
            err.println("headroom: this Java has no Attach API (a JRE, or a jlink image without jdk.attach); "
                    + "run attach with a full JDK");
            return null;
        }
    }

    private static String ownJar() {
        try {
            URL location = Attach.class.getProtectionDomain().getCodeSource().getLocation();
            File file = new File(location.toURI());
            return file.isFile() ? file.getAbsolutePath() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** True unless /proc/PID/maps is readable and shows no libjvm (then attaching would only time out). */
    private static boolean isJvm(File proc) {
        try {
            byte[] maps = Files.readAllBytes(new File(proc, "maps").toPath());
            return new String(maps, java.nio.charset.StandardCharsets.ISO_8859_1).contains("libjvm");
        } catch (Exception e) {
            return true;
        }
    }

    private static String owner(File proc) {
        try {
            return Files.getOwner(proc.toPath()).getName();
        } catch (Exception e) {
            return null;
        }
    }

    private static String selfPid() {
        try {
            return new File("/proc/self").getCanonicalFile().getName();
        } catch (Exception e) {
            return "";
        }
    }
}
