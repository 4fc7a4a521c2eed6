package dev.headroom.loading;


import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.ProtectionDomain;
import java.util.zip.ZipException;

/**
 * Defines Byte Buddy's bundled ASM (relocated to {@value #SHADED}) from the jar nested in the
 * agent jar ({@value #RESOURCE}), in memory, together with the one agent class that uses it (the
 * Micrometer instrumenter) and its nested classes, which link against it; both child-first.
 * Every other class, {@code dev.headroom.*} and the JDK alike, comes from the parent: the agent's
 * own loader.
 *
 * <h2>Why a nested jar</h2>
 * The JVM opens an agent jar at startup, reads and hashes its whole central directory and keeps
 * both for the life of the process, and an application's own ASM or Byte Buddy must never meet
 * ours. Nested, ASM is one entry until Micrometer shows up, and a loader of its own.
 *
 * <h2>Memory, and for how long</h2>
 * The nested jar's bytes (about 130 KB, compressed) are read from the agent jar into one array
 * and indexed in place by {@link NestedJar}; entries are inflated one by one as classes are
 * defined. Nothing is written to disk and no second file handle is kept. Chosen over reading
 * entries from the agent jar file on demand because it needs no file path (the agent may be on
 * any class path or attached dynamically) and holds no descriptor; the cost is transient: the
 * registry binding (sink.micrometer) holds this loader only through the transformer it built,
 * and drops that as soon as the Micrometer classes are instrumented, so the array, the index and
 * the classes become unreachable together and can be unloaded.
 */
public final class NestedJarLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** The nested jar, a resource of the agent jar. */
    static final String RESOURCE = "META-INF/headroom/byte-buddy.jar";
    /** Package prefix of the relocated Byte Buddy (of which the nested jar holds only its ASM). */
    static final String SHADED = "dev.headroom.shaded.bytebuddy.";
    private final NestedJar jar;
    private final String jarPrefix;
    private final String jarPath;
    private final String ownClass;
    private final ClassLoader agent;
    private final ProtectionDomain domain;
    private final URLStreamHandler handler = new InMemory();

    /**
     * @param agent     the parent, and where {@code ownClass}'s bytes come from
     * @param jar       defines every class whose name starts with {@code jarPrefix}
     * @param jarPrefix a package prefix ending in a dot
     * @param ownClass  a class (with its nested classes) defined here from the agent's bytes
     */
    NestedJarLoader(ClassLoader agent, NestedJar jar, String jarPrefix, String ownClass) {
        super(agent);
        this.agent = agent;
        this.jar = jar;
        this.jarPrefix = jarPrefix;
        this.jarPath = jarPrefix.replace('.', '/');
        this.ownClass = ownClass;
        this.domain = NestedJarLoader.class.getProtectionDomain();
    }

    /**
     * The loader for the agent's ASM: reads {@value #RESOURCE} from the agent jar, and defines
     * {@code user} (an agent class compiled against it) from the agent jar too.
     */
    public static NestedJarLoader forByteBuddy(ClassLoader agent, String user) throws IOException {
        if (agent == null) {
            throw new IOException("the agent's classes are not on a class loader that can read " + RESOURCE);
        }
        InputStream in = agent.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is not in the agent jar");
        }
        // an entry's stream knows its inflated size: usually one exact array, no copy
        byte[] data = StreamBytes.readAll(in);
        return new NestedJarLoader(agent, NestedJar.read(RESOURCE, data, data.length), SHADED, user);
    }

    private boolean fromJar(String className) {
        return className.startsWith(jarPrefix);
    }

    private boolean fromAgent(String className) {
        return className.equals(ownClass) || className.startsWith(ownClass) && className.charAt(ownClass.length()) == '$';
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (fromJar(name) || fromAgent(name)) {
                    c = define(name);
                } else {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name);
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        byte[] bytes;
        try {
            bytes = bytes(name.replace('.', '/') + ".class");
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // defined meanwhile by another thread
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** A class file or resource this loader serves itself (child-first), or null if it does not. */
    private byte[] bytes(String path) throws IOException {
        if (path.startsWith(jarPath)) {
            return jar.entry(path);
        }
        if (path.endsWith(".class") && fromAgent(path.substring(0, path.length() - 6).replace('/', '.'))) {
            InputStream in = agent.getResourceAsStream(path);
            return in == null ? null : StreamBytes.readAll(in);
        }
        return null;
    }

    private boolean servesItself(String path) {
        return path.startsWith(jarPath)
                || path.endsWith(".class") && fromAgent(path.substring(0, path.length() - 6).replace('/', '.'));
    }

    /**
     * Byte Buddy's {@code Advice} and {@code ClassFileLocator.ForClassLoader} read class files
     * through this: the classes defined here are served from the same bytes, child-first.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        if (!servesItself(name)) {
            return super.getResourceAsStream(name);
        }
        try {
            byte[] b = bytes(name);
            return b == null ? null : new ByteArrayInputStream(b);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code getResource} on the nested jar's entries: an in-memory URL, no file behind it. */
    @Override
    protected URL findResource(String name) {
        if (!name.startsWith(jarPath) || !jar.contains(name)) {
            return null;
        }
        try {
            return new URL("headroom-nested", null, -1, "/" + name, handler);
        } catch (IOException | RuntimeException e) {
            return null; // a malformed name, or a security manager refusing our handler
        }
    }

    /** Opens the in-memory URLs of {@link #findResource}. */
    private final class InMemory extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    byte[] b = jar.entry(url.getPath().substring(1));
                    if (b == null) {
                        throw new IOException(url + " not found");
                    }
                    return new ByteArrayInputStream(b);
                }
            };
        }
    }

    @Override
    public String toString() {
        return "headroom nested loader for " + jar;
    }
}
