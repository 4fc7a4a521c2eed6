package dev.headroom.micrometer.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child process whose stdout and stderr lines are collected as they come. */
final class Child implements AutoCloseable {

    final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();

    private Child(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static Child start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("HEADROOM_TEST");
        if (env != null) {
            pb.environment().putAll(env);
        }
        return new Child(pb.start());
    }

    static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }

    private void pump(java.io.InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        sink.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a stdout line matching the pattern; returns the matcher, or throws with the output. */
    synchronized Matcher await(Pattern pattern, long timeoutMillis) throws InterruptedException {
        return await(pattern, timeoutMillis, out);
    }

    /** As {@link #await(Pattern, long)}, on stderr. */
    synchronized Matcher awaitErr(Pattern pattern, long timeoutMillis) throws InterruptedException {
        return await(pattern, timeoutMillis, err);
    }

    private synchronized Matcher await(Pattern pattern, long timeoutMillis, List<String> out) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int seen = 0;
        while (true) {
            for (; seen < out.size(); seen++) {
                Matcher m = pattern.matcher(out.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || (!process.isAlive() && seen >= out.size())) {
                if (!process.isAlive()) {
                    wait(200); // let the pumps drain
                    if (seen < out.size()) {
                        continue;
                    }
                }
                throw new AssertionError("no line matching " + pattern + " within " + timeoutMillis + " ms\n" + dump());
            }
            wait(Math.min(left, 500));
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child still running after " + timeoutMillis + " ms\n" + dump());
        }
        Thread.sleep(100);
        return process.exitValue();
    }

    synchronized List<String> out() {
        return new ArrayList<>(out);
    }

    synchronized List<String> err() {
        return new ArrayList<>(err);
    }

    synchronized String dump() {
        return "--- stdout (last 60) ---\n" + tail(out) + "--- stderr (last 60) ---\n" + tail(err);
    }

    private static String tail(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines.subList(Math.max(0, lines.size() - 60), lines.size())) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        // SIGTERM first: run-in-cgroup.sh forwards it and removes its cgroup
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
