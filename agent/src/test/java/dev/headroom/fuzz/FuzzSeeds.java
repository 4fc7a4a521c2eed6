package dev.headroom.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the seed corpus from the fixture trees into Jazzer's inputs directories
 * ({@code src/test/resources/dev/headroom/<package>/<TestClass>Inputs/<method>/}). Run from the
 * agent module after changing fixtures:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.headroom.fuzz.FuzzSeeds}.
 * Seed files are named by a hash of their contents, so running it twice changes nothing.
 */
public final class FuzzSeeds {

    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final Path FIXTURES = RESOURCES.resolve("fixtures");

    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path parsers = RESOURCES.resolve("dev/headroom/fuzz/ParsersFuzzTestInputs");
        for (Path f : fixtureFiles()) {
            String name = f.getFileName().toString();
            byte[] b = Files.readAllBytes(f);
            if (name.equals("mountinfo")) {
                seed(parsers.resolve("mountinfo"), b);
            } else if (name.equals("cgroup") && f.getParent().getFileName().toString().equals("self")) {
                seed(parsers.resolve("procCgroup"), b);
            } else if (List.of("memory.stat", "memory.events", "memory.events.local", "memory.oom_control",
                    "meminfo", "status", "memory.swap.events").contains(name)) {
                seed(parsers.resolve("keyValues"), b);
            } else if (name.equals("memory.pressure") || name.equals("memory")
                    && f.getParent().getFileName().toString().equals("pressure")) {
                seed(parsers.resolve("pressure"), b);
            } else if (b.length < 64 && (name.startsWith("memory.") || name.startsWith("oom_score"))) {
                seed(parsers.resolve("singleValues"), b);
            }
        }
        for (String s : List.of("max\n", "-1000\n", "0", "18446744073709551615\n", "18446744073709551616",
                "9223372036854771712\n", "9223372036854775807", "12.34", "0.5\n", " 42 \n", "-", "", "1 .5", "12. 5")) {
            seed(parsers.resolve("singleValues"), s.getBytes(StandardCharsets.US_ASCII));
        }
        seed(parsers.resolve("pressure"), ("some avg10=1.50 avg60=0.20 avg300=0.00 total=123456\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=42\n").getBytes(StandardCharsets.US_ASCII));

        Path config = RESOURCES.resolve("dev/headroom/runtime/ConfigFuzzTestInputs/parse");
        for (String s : List.of("", "interval=2s,warn=0.8,critical=0.9",
                "onCritical=threads,histogram,interval=250ms,log=none\nP headroom.format=json\nE HEADROOM_ROOT=/tmp",
                "warn=0.99,critical=0.5,hysteresis=2,horizon=-1s\nP headroom.nope=1\nE HEADROOM_FAST_INTERVAL=5ms",
                "enabled=false,terminationMessage=/dev/termination-log,jmxDelay=1h,pressureSome=101")) {
            seed(config, s.getBytes(StandardCharsets.UTF_8));
        }

        Path tree = RESOURCES.resolve("dev/headroom/fuzz/SnapshotFuzzTestInputs/wholeTree");
        for (int i = 0; i < SnapshotFuzzTest.FIXTURES.size(); i++) {
            Path root = FIXTURES.resolve(SnapshotFuzzTest.FIXTURES.get(i)).resolve("root");
            var out = new java.io.ByteArrayOutputStream();
            out.write(i);
            boolean first = true;
            for (String relative : SnapshotFuzzTest.FILES.get(i)) {
                if (!first) {
                    out.write(0);
                }
                first = false;
                out.write(Files.readAllBytes(root.resolve(relative.substring(1))));
            }
            seed(tree, out.toByteArray());
        }
    }

    private static List<Path> fixtureFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(FIXTURES)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("/root/")).sorted().toList();
        }
    }

    private static void seed(Path dir, byte[] contents) throws Exception {
        Files.createDirectories(dir);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(contents));
        Files.write(dir.resolve("seed-" + hash.substring(0, 16)), contents);
    }
}
