package dev.headroom.sink.jfr;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The agent stays Java 8 bytecode (class file 52) everywhere but the Flight Recorder events and
 * their recorder (55, Java 11), which only the Java 8 gate {@link JfrSupport} names, by reflection.
 */
class JfrBytecodeTest {

    @Test
    void onlyTheRecorderAndTheEventsAreJava11() throws IOException {
        Map<String, Integer> java11 = new TreeMap<>();
        int java8 = 0;
        Path classes = Path.of("target/classes");
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
                int major = major(p);
                if (major == 52) {
                    java8++;
                } else {
                    java11.put(classes.relativize(p).toString().replace('\\', '/'), major);
                }
            }
        }
        assertEquals(Map.of(
                "dev/headroom/sink/jfr/ContainerMemoryEvent.class", 55,
                "dev/headroom/sink/jfr/LevelChangeEvent.class", 55,
                "dev/headroom/sink/jfr/LimitChangeEvent.class", 55,
                "dev/headroom/sink/jfr/MemoryStateEvent.class", 55,
                "dev/headroom/sink/jfr/OomKillEvent.class", 55,
                "dev/headroom/sink/jfr/Recorder.class", 55), java11);
        assertFalse(java8 < 100, java8 + " Java 8 classes");
        assertEquals(52, major(classes.resolve("dev/headroom/sink/jfr/JfrSupport.class")), "the gate is Java 8");
    }

    private static int major(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // 0xCAFEBABE
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        }
    }
}
