package dev.headroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI container run by {@code runc} (Debian's package, installed on first use), for tests
 * that need what a container runtime sets up: pid/mount/ipc/uts namespaces, optionally a cgroup
 * namespace, the read-only cgroup mount, a memory limit with swap off. The root filesystem is
 * the host's own /usr and /etc (and /bin, /lib... where they are not links into /usr),
 * read-only; {@link #bind} adds host files at the same path, so a host command line (this
 * JDK's java, the built jars) runs unchanged inside.
 * <p>
 * The container's cgroup is a child of this process's own memory cgroup (an absolute
 * {@code cgroupsPath}). runc 1.1 creates that path, parents included, in every hierarchy and
 * removes only the leaves: {@link #close} removes every directory it created, a shutdown hook
 * does the same when the test JVM is stopped, and {@link #require} first removes what a killed
 * run left. runc's state lives under target/, so only this build's containers are touched.
 *
 * <pre>
 * RuncContainer.require();
 * try (RuncContainer c = RuncContainer.create(256L &lt;&lt; 20, true).bind(jar, false)) {
 *     ChildJvm.builder().jar(jar).wrap(c::wrap).run();
 * }
 * </pre>
 */
public final class RuncContainer implements AutoCloseable {

    private static final String PREFIX = "headroom-it-";
    private static final Path STATE = Path.of("target", "runc-state").toAbsolutePath();

    private final String id = PREFIX + UUID.randomUUID().toString().substring(0, 8);
    private final Path bundle;
    private final long limitBytes;
    private final boolean cgroupNamespace;
    private final String cgroupPath;
    private final List<Bind> binds = new ArrayList<>();
    private final Thread hook = new Thread(this::removeQuietly, "runc-cleanup");

    private record Bind(Path host, String inside, boolean writable) {
    }

    private RuncContainer(Path bundle, long limitBytes, boolean cgroupNamespace, String parentPath) {
        this.bundle = bundle;
        this.limitBytes = limitBytes;
        this.cgroupNamespace = cgroupNamespace;
        this.cgroupPath = (parentPath.equals("/") ? "" : parentPath) + "/" + id;
    }

    /** Null when containers can be run here, else why not (probed once; installs runc if missing). */
    public static String available() {
        return Probed.REASON;
    }

    /** Holds the probe's result: the JVM runs it once, on first use. */
    private static final class Probed {
        static final String REASON = probe();
    }

    private static String probe() {
        String cgroups = CgroupSandbox.available();
        if (cgroups != null) {
            return cgroups;
        }
        try {
            if (run(60, "sh", "-c", "command -v runc") != 0) {
                System.out.println("[RuncContainer] installing runc (first use)");
                int rc = run(600, "sh", "-c", "export DEBIAN_FRONTEND=noninteractive; o='-q -o DPkg::Lock::Timeout=600';"
                        + " apt-get $o install -y --no-install-recommends runc"
                        + " || { apt-get $o update && apt-get $o install -y --no-install-recommends runc; }");
                if (rc != 0) {
                    return "runc is not installed and apt-get install runc failed (exit " + rc + ")";
                }
            }
            sweep();
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot run runc: " + e;
        }
    }

    /**
     * JUnit guard: returns when containers can be run; otherwise fails under {@code CI=true} (the
     * container tests must run there) and aborts (skips) the test elsewhere, with the reason.
     */
    public static void require() {
        String reason = available();
        if (reason != null) {
            Required.unavailable("container tests", reason);
        }
    }

    /** A container (not started yet) with that memory limit, swap off, with or without its own cgroup namespace. */
    public static RuncContainer create(long limitBytes, boolean cgroupNamespace) throws IOException {
        Files.createDirectories(STATE);
        Path bundle = Files.createTempDirectory(STATE.getParent(), "runc-bundle-");
        Path rootfs = Files.createDirectory(bundle.resolve("rootfs"));
        RuncContainer c = new RuncContainer(bundle, limitBytes, cgroupNamespace, CgroupSandbox.ownMemoryCgroupPath());
        c.bind(Path.of("/usr"), false).bind(Path.of("/etc"), false);
        for (String dir : List.of("bin", "sbin", "lib", "lib64")) { // as on the host: links into /usr, or bound
            Path host = Path.of("/", dir);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(rootfs.resolve(dir), Files.readSymbolicLink(host));
            } else if (Files.isDirectory(host)) {
                c.bind(host, false);
            }
        }
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** Binds a host file or directory at the same path inside, read-only unless writable. */
    public RuncContainer bind(Path host, boolean writable) {
        return bindAt(host, host.toAbsolutePath().toString(), writable);
    }

    /** Binds a host file or directory at another path inside (e.g. /dev/termination-log). */
    public RuncContainer bindAt(Path host, String inside, boolean writable) {
        binds.add(new Bind(host.toAbsolutePath(), inside, writable));
        return this;
    }

    /** The container's cgroup path, as /proc/self/cgroup on the host shows it. */
    public String cgroupPath() {
        return cgroupPath;
    }

    /** Whether swap can be turned off for the container: memsw == limit, where the kernel accounts swap. */
    public static boolean swapLimited() throws IOException {
        return Files.exists(Path.of(CgroupSandbox.ownMemoryCgroupDir(), "memory.memsw.limit_in_bytes"));
    }

    /** For {@link ChildJvm#wrap}: writes config.json to run the command as the container's process, returns {@code runc run}. */
    public List<String> wrap(List<String> command) {
        try {
            Files.writeString(bundle.resolve("config.json"), config(command), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("runc", "--root", STATE.toString(), "run", "--bundle", bundle.toString(), id);
    }

    private String config(List<String> command) throws IOException {
        List<String> mounts = new ArrayList<>(List.of(
                mount("/proc", "proc", "proc"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
                // what Docker and Kubernetes give a container: its cgroup files, read-only
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"),
                mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777")));
        for (Bind b : binds) { // runc creates the mount points in the (then read-only) rootfs
            mounts.add(mount(b.inside(), "bind", b.host().toString(), "rbind", b.writable() ? "rw" : "ro"));
        }
        List<String> namespaces = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
        if (cgroupNamespace) {
            namespaces.add("cgroup");
        }
        return "{\"ociVersion\":\"1.0.2\",\"hostname\":\"headroom-it\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},\n"
                + "\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"/\",\"noNewPrivileges\":true,"
                + "\"env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\"],\"args\":" + array(command) + "},\n"
                + "\"mounts\":[\n" + String.join(",\n", mounts) + "],\n"
                + "\"linux\":{\"cgroupsPath\":" + str(cgroupPath) + ",\"resources\":{\"memory\":{\"limit\":" + limitBytes
                + (swapLimited() ? ",\"swap\":" + limitBytes : "") + "}},\n"
                + "\"namespaces\":[" + String.join(",", namespaces.stream().map(n -> "{\"type\":" + str(n) + "}").toList())
                + "],\n\"maskedPaths\":[\"/proc/kcore\",\"/proc/keys\",\"/proc/timer_list\",\"/sys/firmware\"],"
                + "\"readonlyPaths\":[\"/proc/sys\",\"/proc/sysrq-trigger\",\"/proc/irq\",\"/proc/bus\"]}}\n";
    }

    private static String mount(String destination, String type, String source, String... options) {
        return "{\"destination\":" + str(destination) + ",\"type\":" + str(type) + ",\"source\":" + str(source)
                + ",\"options\":" + array(List.of(options)) + "}";
    }

    private static String array(List<String> values) {
        return "[" + String.join(",", values.stream().map(RuncContainer::str).toList()) + "]";
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Deletes the container (if runc still knows it) and every cgroup directory it created; removes the bundle. */
    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running this
        }
        remove(id, cgroupPath);
        try (var files = Files.walk(bundle)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private void removeQuietly() {
        try {
            remove(id, cgroupPath);
        } catch (IOException | RuntimeException e) {
            System.err.println("[RuncContainer] cleanup of " + id + ": " + e);
        }
    }

    /** runc delete, then every cgroup directory of the container, killing what still runs in it. */
    private static void remove(String id, String cgroupPath) throws IOException {
        run(60, "runc", "--root", STATE.toString(), "delete", "--force", id);
        removeCgroups(cgroupPath, true);
    }

    /**
     * In every hierarchy: the container's cgroup, then each parent that is not this process's own
     * cgroup or one of its ancestors there, while empty (runc made them; one that another
     * container still uses stays). Without kill, a cgroup still in use stays too.
     */
    private static void removeCgroups(String cgroupPath, boolean kill) throws IOException {
        for (CgroupSandbox.Hierarchy h : CgroupSandbox.hierarchies()) {
            Path leaf = h.dirOf(cgroupPath);
            if (leaf == null || !removed(leaf, kill)) {
                continue;
            }
            String own = (h.ownPath() == null ? "/" : h.ownPath()) + "/";
            for (String p = parentOf(cgroupPath); !p.equals("/") && !own.startsWith(p + "/"); p = parentOf(p)) {
                if (!removed(h.dirOf(p), false)) {
                    break;
                }
            }
        }
    }

    private static boolean removed(Path dir, boolean kill) throws IOException {
        if (kill) {
            CgroupSandbox.remove(dir);
            return true;
        }
        try {
            Files.deleteIfExists(dir); // rmdir: fails while the cgroup has tasks or children
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /**
     * Removes what killed runs left: containers in our runc state, then empty headroom-it-*
     * cgroups below our own memory cgroup path (in every hierarchy) and the parents runc made.
     */
    private static void sweep() throws IOException {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(STATE)) {
            try (var dirs = Files.list(STATE)) {
                dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(ids::add);
            }
        }
        String parent = CgroupSandbox.ownMemoryCgroupPath();
        for (CgroupSandbox.Hierarchy h : CgroupSandbox.hierarchies()) {
            Path dir = h.dirOf(parent);
            if (dir != null && Files.isDirectory(dir)) {
                try (var dirs = Files.list(dir)) {
                    dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith(PREFIX) && !ids.contains(n))
                            .forEach(ids::add);
                }
            }
        }
        for (String id : ids) {
            System.out.println("[RuncContainer] removing leftovers of container " + id);
            String path = (parent.equals("/") ? "" : parent) + "/" + id;
            if (Files.isDirectory(STATE.resolve(id))) {
                remove(id, path);
            } else {
                removeCgroups(path, false); // perhaps another build's live container: never kill it
            }
        }
    }

    private static int run(int timeoutSeconds, String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
