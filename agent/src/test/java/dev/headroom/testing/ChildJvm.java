package dev.headroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Runs a child JVM (this JDK's java), optionally with the agent, inside a wrapper such as
 * {@link CgroupSandbox#wrap}, with a timeout; captures stdout and stderr fully, and every line
 * with the time it arrived (to measure, say, how long before an OOM kill a warning came).
 *
 * <pre>
 * ChildJvm.Result r = ChildJvm.builder().jar(ChildJvm.agentJar()).args("--json").inside(box).run();
 * </pre>
 */
public final class ChildJvm {

    /** One line of output: which stream, when it arrived (System.nanoTime and wall clock), the text. */
    public record Line(boolean stderr, long nanoTime, long wallMillis, String text) {
    }

    /** How the child ended. exitCode is -1 when it was killed for running past the timeout. */
    public record Result(List<String> command, int exitCode, boolean timedOut, long startNanos, long endNanos,
                         String stdout, String stderr, List<Line> lines) {

        /** The first line (either stream) that matches. */
        public Optional<Line> firstLine(Predicate<String> matches) {
            return lines.stream().filter(l -> matches.test(l.text())).findFirst();
        }

        public Duration elapsed() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        /** Everything about the run, for assertion messages. */
        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + (timedOut ? " (timed out)" : "")
                    + " after " + elapsed().toMillis() + " ms\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** The agent jar the build made (failsafe sets headroom.agentJar). */
    public static Path agentJar() {
        String jar = System.getProperty("headroom.agentJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property headroom.agentJar does not name the built agent jar: " + jar);
        }
        return Path.of(jar);
    }

    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static ChildJvm builder() {
        return new ChildJvm();
    }

    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path agent;
    private String agentOptions;
    private Path jar;
    private String mainClass;
    private String classpath;
    private UnaryOperator<List<String>> wrapper = UnaryOperator.identity();
    private Duration timeout = Duration.ofSeconds(60);
    private Path workDir;

    private ChildJvm() {
    }

    public ChildJvm jvmArgs(String... a) {
        Collections.addAll(jvmArgs, a);
        return this;
    }

    public ChildJvm args(String... a) {
        Collections.addAll(args, a);
        return this;
    }

    public ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** -javaagent with the built agent jar. */
    public ChildJvm withAgent(String options) {
        return withAgent(agentJar(), options);
    }

    /** -javaagent:jar[=options]; options may be null. */
    public ChildJvm withAgent(Path agentJar, String options) {
        this.agent = agentJar;
        this.agentOptions = options;
        return this;
    }

    /** java -jar jar ... */
    public ChildJvm jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** java -cp classpath mainClass ... (classpath null: this JVM's class path). */
    public ChildJvm mainClass(String mainClass, String classpath) {
        this.mainClass = mainClass;
        this.classpath = classpath == null ? System.getProperty("java.class.path") : classpath;
        return this;
    }

    /** Turns the java command into the command actually run, e.g. {@code box::wrap}. */
    public ChildJvm wrap(UnaryOperator<List<String>> wrapper) {
        this.wrapper = wrapper;
        return this;
    }

    public ChildJvm inside(CgroupSandbox box) {
        return wrap(box::wrap);
    }

    public ChildJvm timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public ChildJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** The java command before wrapping. */
    public List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(javaExecutable().toString());
        if (agent != null) {
            c.add("-javaagent:" + agent + (agentOptions == null ? "" : "=" + agentOptions));
        }
        c.addAll(jvmArgs);
        if (jar != null) {
            c.add("-jar");
            c.add(jar.toString());
        } else if (mainClass != null) {
            c.add("-cp");
            c.add(classpath);
            c.add(mainClass);
        }
        c.addAll(args);
        return c;
    }

    public Result run() throws IOException, InterruptedException {
        List<String> command = wrapper.apply(javaCommand());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        List<Line> lines = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        Pump out = new Pump(p.getInputStream(), false, lines);
        Pump err = new Pump(p.getErrorStream(), true, lines);
        out.start();
        err.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime();
        out.join(10_000);
        err.join(10_000);
        List<Line> sorted;
        synchronized (lines) {
            sorted = new ArrayList<>(lines);
        }
        sorted.sort((a, b) -> Long.compare(a.nanoTime(), b.nanoTime()));
        return new Result(List.copyOf(command), finished ? p.exitValue() : -1, !finished, start, end,
                out.text(), err.text(), Collections.unmodifiableList(sorted));
    }

    /** Reads one stream to its end, keeping every byte and stamping each line as it completes. */
    private static final class Pump extends Thread {
        private final InputStream in;
        private final boolean stderr;
        private final List<Line> lines;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();

        Pump(InputStream in, boolean stderr, List<Line> lines) {
            super("child-jvm-" + (stderr ? "stderr" : "stdout"));
            setDaemon(true);
            this.in = in;
            this.stderr = stderr;
            this.lines = lines;
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (InputStream s = in) {
                int n;
                while ((n = s.read(buf)) > 0) {
                    long now = System.nanoTime();
                    long wall = System.currentTimeMillis();
                    synchronized (this) {
                        all.write(buf, 0, n);
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines.add(new Line(stderr, now, wall, line.toString(StandardCharsets.UTF_8)));
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away: keep what arrived
            }
            if (line.size() > 0) {
                lines.add(new Line(stderr, System.nanoTime(), System.currentTimeMillis(), line.toString(StandardCharsets.UTF_8)));
            }
        }

        synchronized String text() {
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
