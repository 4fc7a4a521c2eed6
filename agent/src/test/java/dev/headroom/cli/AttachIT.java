package dev.headroom.cli;

import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar headroom-agent.jar attach <pid>} against a real running JVM. */
class AttachIT {

    private Process target;
    private final List<String> targetErr = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (target != null) {
            target.destroyForcibly();
        }
    }

    private long startTarget() throws Exception {
        Path examples = Path.of("..", "examples", "target", "headroom-examples.jar").toAbsolutePath();
        target = new ProcessBuilder(ChildJvm.javaExecutable().toString(), "-cp", examples.toString(),
                "dev.headroom.examples.Grow", "--quiet", "heap", "1M", "--max", "16M", "--hold", "60s")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(target.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    targetErr.add(line);
                }
            } catch (Exception ignored) {
                // the target was stopped
            }
        });
        pump.setDaemon(true);
        pump.start();
        return target.pid();
    }

    private ChildJvm.Result attach(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "attach";
        System.arraycopy(args, 0, all, 1, args.length);
        return ChildJvm.builder().jar(ChildJvm.agentJar()).args(all).timeout(Duration.ofSeconds(60)).run();
    }

    private long startLines() {
        return targetErr.stream().filter(l -> l.startsWith("[headroom] INFO start:")).count();
    }

    private void awaitStartLines(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (startLines() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** A good attach: exit 0, said so, and the target's first (and only) start line follows. */
    private void attachAndSeeItStart(long pid) throws Exception {
        ChildJvm.Result r = attach(Long.toString(pid), "interval=200ms");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("headroom attached to process " + pid), r.describe());
        awaitStartLines(1);
        assertEquals(1, startLines(), "target stderr: " + targetErr);
    }

    @Test
    void attachStartsSamplingAndASecondAttachChangesNothing() throws Exception {
        long pid = startTarget();
        Thread.sleep(500);
        attachAndSeeItStart(pid);

        ChildJvm.Result second = attach(Long.toString(pid));
        assertEquals(0, second.exitCode(), second.describe());
        assertTrue(second.stdout().contains("already running"), second.describe());
        Thread.sleep(1000);
        assertEquals(1, startLines(), "a second attach must not start a second sampler: " + targetErr);
        assertTrue(target.isAlive(), "the target keeps running");
    }

    @Test
    void noSuchProcessIsAClearErrorWithExitCode1() throws Exception {
        ChildJvm.Result r = attach("2147483646");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("no process with pid 2147483646"), r.describe());
    }

    @Test
    void aMissingOrNonNumericPidSaysWhatIsWrong() throws Exception {
        ChildJvm.Result r = attach("not-a-pid");
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.stderr().startsWith("headroom: 'not-a-pid' is not a pid (a process id is a number)"), r.describe());
        assertTrue(r.stderr().contains("usage: java -jar headroom-agent.jar attach <pid>"), r.describe());

        ChildJvm.Result missing = attach();
        assertEquals(2, missing.exitCode(), missing.describe());
        assertTrue(missing.stderr().startsWith("headroom: the pid of the JVM to attach to is missing"), missing.describe());
    }

    @Test
    void badSettingsAreReportedToThePersonAndNothingIsAttached() throws Exception {
        long pid = startTarget();
        Thread.sleep(500);
        ChildJvm.Result r = attach(Long.toString(pid), "interval=abc,intervl=2s");
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("headroom: bad value 'abc' for interval: expected a duration"), r.describe());
        assertTrue(r.stderr().contains("headroom: agent argument 'intervl' is not a headroom setting"), r.describe());
        assertTrue(r.stderr().contains("nothing attached"), r.describe());
        // nothing reached the target: a good attach afterwards is the first
        attachAndSeeItStart(pid);
        assertTrue(targetErr.stream().noneMatch(l -> l.contains("config:")), "target stderr: " + targetErr);
    }

    @Test
    void aProcessThatIsNotAJvmIsNamedAsSuch() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ChildJvm.Result r = attach(Long.toString(sleeper.pid()));
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("not a Java virtual machine"), r.describe());
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
