package dev.headroom.loading;

import dev.headroom.sink.micrometer.Instrumenter;
import dev.headroom.sink.micrometer.RegistryHook;

import io.micrometer.core.instrument.MeterRegistry;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader that defines Byte Buddy from a nested jar, in memory. Here the nested jar is the
 * plain (not relocated) Byte Buddy jar from the test class path, and the parent is a loader of the
 * agent's compiled classes that cannot see Byte Buddy: whatever of Byte Buddy runs comes from
 * the nested jar.
 */
class NestedJarLoaderTest {

    private static Path byteBuddyJar() throws Exception {
        return Paths.get(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static NestedJar byteBuddy() throws Exception {
        byte[] bytes = Files.readAllBytes(byteBuddyJar());
        return NestedJar.read("byte-buddy.jar", bytes, bytes.length);
    }

    /** The agent's classes (target/classes), without Byte Buddy or Micrometer behind them. */
    private static URLClassLoader agentClassesOnly() throws Exception {
        URL classes = NestedJar.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    }

    private static NestedJarLoader loader(ClassLoader parent) throws Exception {
        return new NestedJarLoader(parent, byteBuddy(), "net.bytebuddy.", "dev.headroom.sink.micrometer.Instrumenter");
    }

    @Test
    void indexesEveryEntryAndReadsThemAsTheJdkDoes() throws Exception {
        NestedJar jar = byteBuddy();
        try (JarFile reference = new JarFile(byteBuddyJar().toFile())) {
            assertEquals(reference.size(), jar.size());
            int checked = 0;
            for (ZipEntry e : java.util.Collections.list(reference.entries())) {
                if (e.isDirectory() || checked++ % 7 != 0) {
                    continue;
                }
                try (InputStream in = reference.getInputStream(e)) {
                    assertArrayEquals(in.readAllBytes(), jar.entry(e.getName()), e.getName());
                }
            }
            assertTrue(checked > 1000, "checked " + checked);
        }
        assertNull(jar.entry("net/bytebuddy/NoSuchClass.class"));
        assertTrue(jar.contains("net/bytebuddy/ByteBuddy.class"));
    }

    @Test
    void definesByteBuddyFromTheNestedJarChildFirst() throws Exception {
        NestedJarLoader loader = loader(NestedJarLoaderTest.class.getClassLoader()); // a parent that has Byte Buddy too
        Class<?> c = loader.loadClass("net.bytebuddy.ByteBuddy");
        assertSame(loader, c.getClassLoader());
        assertNotSame(ByteBuddy.class, c);
        assertSame(c, Class.forName("net.bytebuddy.ByteBuddy", false, loader));
        assertNotNull(c.getPackage());
        // everything else from the parent
        assertSame(NestedJar.class, loader.loadClass(NestedJar.class.getName()));
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("net.bytebuddy.NoSuchClass"));
    }

    @Test
    void servesTheResourcesOfWhatItDefines() throws Exception {
        try (URLClassLoader agent = agentClassesOnly()) {
            NestedJarLoader loader = loader(agent);
            byte[] expected = byteBuddy().entry("net/bytebuddy/ByteBuddy.class");
            try (InputStream in = loader.getResourceAsStream("net/bytebuddy/ByteBuddy.class")) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            URL url = loader.getResource("net/bytebuddy/ByteBuddy.class");
            assertNotNull(url);
            assertEquals("headroom-nested", url.getProtocol());
            try (InputStream in = url.openStream()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            assertNull(loader.getResource("net/bytebuddy/NoSuchClass.class"));
            assertNull(loader.getResourceAsStream("net/bytebuddy/NoSuchClass.class"));
            // Instrumenter's nested classes, served from the same bytes
            try (InputStream in = loader.getResourceAsStream("dev/headroom/sink/micrometer/Instrumenter$OnEntry.class");
                 InputStream ref = agent.getResourceAsStream("dev/headroom/sink/micrometer/Instrumenter$OnEntry.class")) {
                assertArrayEquals(ref.readAllBytes(), in.readAllBytes());
            }
            // anything else through the parent
            assertNotNull(loader.getResource("dev/headroom/sink/micrometer/Bindings.class"));
        }
    }

    @Test
    void buildsTheTransformerAndInstrumentsMeterRegistry() throws Exception {
        try (URLClassLoader agent = agentClassesOnly()) {
            NestedJarLoader loader = loader(agent);
            Class<?> instrumenter = loader.loadClass("dev.headroom.sink.micrometer.Instrumenter");
            assertSame(loader, instrumenter.getClassLoader());
            assertThrows(ClassNotFoundException.class, () -> agent.loadClass("net.bytebuddy.ByteBuddy"));
            List<String> errors = new ArrayList<>();
            Consumer<String> sink = errors::add;
            ClassFileTransformer t = (ClassFileTransformer) instrumenter.getMethod("build", Consumer.class).invoke(null, sink);
            // the transformer is defined by the nested loader (or a child of it)
            ClassLoader l = t.getClass().getClassLoader();
            while (l != null && l != loader) {
                l = l.getParent();
            }
            assertSame(loader, l, t.getClass().getClassLoader().toString());

            String name = "io/micrometer/core/instrument/MeterRegistry";
            byte[] original;
            try (InputStream in = MeterRegistry.class.getClassLoader().getResourceAsStream(name + ".class")) {
                original = in.readAllBytes();
            }
            byte[] transformed = t.transform(MeterRegistry.class.getClassLoader(), name, MeterRegistry.class,
                    MeterRegistry.class.getProtectionDomain(), original);
            assertEquals(List.of(), errors);
            assertNotNull(transformed);
            assertNotEquals(original.length, transformed.length);
            String text = new String(transformed, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("dev.headroom.sink.micrometer.RegistryHook"), "the advice went in");
        }
    }

    // ---- malformed input: a clear ZipException, never an index error

    @Test
    void rejectsGarbage() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        ZipException e = assertThrows(ZipException.class, () -> NestedJar.read("x.jar", random, random.length));
        assertTrue(e.getMessage().startsWith("x.jar: not a zip file"), e.getMessage());
        assertThrows(ZipException.class, () -> NestedJar.read("x.jar", new byte[3], 3));
        assertThrows(ZipException.class, () -> NestedJar.read("x.jar", null, 0));
    }

    @Test
    void rejectsATruncatedJar() throws Exception {
        byte[] jar = Files.readAllBytes(byteBuddyJar());
        assertThrows(ZipException.class, () -> NestedJar.read("x.jar", jar, jar.length / 2));
    }

    @Test
    void rejectsACorruptDirectoryAndCorruptEntries() throws Exception {
        byte[] zip = zip(false, "a/B.class", "hello hello hello hello hello hello".getBytes(StandardCharsets.UTF_8));
        int end = lastIndexOf(zip, 0x06054b50);
        int cen = u32(zip, end + 16);

        byte[] badCen = zip.clone();
        badCen[cen] = 0;
        ZipException e = assertThrows(ZipException.class, () -> NestedJar.read("x.jar", badCen, badCen.length));
        assertTrue(e.getMessage().contains("central directory"), e.getMessage());

        byte[] cenPastEnd = zip.clone();
        put32(cenPastEnd, end + 16, zip.length);
        assertThrows(ZipException.class, () -> NestedJar.read("x.jar", cenPastEnd, cenPastEnd.length));

        byte[] zip64 = zip.clone();
        put32(zip64, end + 16, -1);
        e = assertThrows(ZipException.class, () -> NestedJar.read("x.jar", zip64, zip64.length));
        assertTrue(e.getMessage().contains("Zip64"), e.getMessage());

        byte[] badData = zip.clone();
        int data = 30 + "a/B.class".length();
        for (int i = 0; i < 6; i++) {
            badData[data + i] = (byte) 0xFF;
        }
        NestedJar jar = NestedJar.read("x.jar", badData, badData.length);
        e = assertThrows(ZipException.class, () -> jar.entry("a/B.class"));
        assertTrue(e.getMessage().startsWith("x.jar: a/B.class"), e.getMessage());

        byte[] badLocal = zip.clone();
        badLocal[0] = 0;
        NestedJar jar2 = NestedJar.read("x.jar", badLocal, badLocal.length);
        assertThrows(ZipException.class, () -> jar2.entry("a/B.class"));

        byte[] hugeSize = zip.clone();
        put32(hugeSize, cen + 24, Integer.MAX_VALUE);
        NestedJar jar3 = NestedJar.read("x.jar", hugeSize, hugeSize.length);
        assertThrows(ZipException.class, () -> jar3.entry("a/B.class"));
    }

    @Test
    void readsStoredAndDeflatedEntriesAndEmptyJars() throws Exception {
        byte[] content = "stored content".getBytes(StandardCharsets.UTF_8);
        for (boolean stored : new boolean[] {true, false}) {
            byte[] zip = zip(stored, "a/b/c.txt", content);
            NestedJar jar = NestedJar.read("x.jar", zip, zip.length);
            assertEquals(1, jar.size());
            assertArrayEquals(content, jar.entry("a/b/c.txt"));
            assertNull(jar.entry("a/b/c"));
        }
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new ZipOutputStream(empty).close();
        byte[] e = empty.toByteArray();
        assertEquals(0, NestedJar.read("x.jar", e, e.length).size());
    }

    @Test
    void aMissingNestedJarIsOneClearError() {
        IOException e = assertThrows(IOException.class,
                () -> NestedJarLoader.forByteBuddy(ClassLoader.getPlatformClassLoader(), "dev.headroom.sink.micrometer.Instrumenter"));
        assertEquals("META-INF/headroom/byte-buddy.jar is not in the agent jar", e.getMessage());
        assertThrows(IOException.class, () -> NestedJarLoader.forByteBuddy(null, "dev.headroom.sink.micrometer.Instrumenter"));
    }

    @Test
    void aGarbageNestedJarIsOneClearError() throws Exception {
        Path dir = Files.createTempDirectory("nested");
        try {
            Path nested = dir.resolve("META-INF/headroom/byte-buddy.jar");
            Files.createDirectories(nested.getParent());
            Files.write(nested, "not a jar at all, but long enough to look for an end record".getBytes(StandardCharsets.UTF_8));
            try (URLClassLoader agent = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
                ZipException e = assertThrows(ZipException.class, () -> NestedJarLoader.forByteBuddy(agent, "dev.headroom.sink.micrometer.Instrumenter"));
                assertTrue(e.getMessage().startsWith("META-INF/headroom/byte-buddy.jar: not a zip file"), e.getMessage());
            }
        } finally {
            Files.walk(dir).sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    // ---- helpers

    private static byte[] zip(boolean stored, String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(name);
            if (stored) {
                CRC32 crc = new CRC32();
                crc.update(content);
                e.setMethod(ZipEntry.STORED);
                e.setSize(content.length);
                e.setCompressedSize(content.length);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private static int lastIndexOf(byte[] b, int signature) {
        for (int p = b.length - 4; p >= 0; p--) {
            if (u32(b, p) == signature) {
                return p;
            }
        }
        throw new AssertionError(Arrays.toString(b));
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static void put32(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }
}
