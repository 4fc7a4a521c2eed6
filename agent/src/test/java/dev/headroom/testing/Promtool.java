package dev.headroom.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus's {@code promtool} (Debian package {@code prometheus}), found on the PATH. Missing,
 * the test is skipped with the reason, or fails under {@code CI=true} ({@link Required}).
 */
public final class Promtool {

    private Promtool() {
    }

    /** Runs promtool with {@code stdin} (null: none), asserts exit 0, returns what it printed. */
    public static String run(String tests, String stdin, String... args) throws IOException, InterruptedException {
        Path promtool = Stream.of(System.getenv("PATH").split(":"))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (promtool == null) {
            Required.unavailable(tests, "promtool is not on the PATH (Debian: apt-get install prometheus)");
        }
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "promtool did not finish: " + command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
