package dev.headroom.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A child of this process's own cgroup v1 memory cgroup with a memory limit, for tests that
 * need real numbers and real OOM kills. Needs root and a v1 memory controller. Closing it
 * kills whatever still runs inside and removes the directory.
 *
 * <pre>
 * CgroupSandbox.requireCgroups();
 * try (CgroupSandbox box = CgroupSandbox.create(256L &lt;&lt; 20)) {
 *     new ProcessBuilder(box.wrap(List.of("java", "-version"))).start();
 * }
 * </pre>
 */
public final class CgroupSandbox implements AutoCloseable {

    private static volatile String unavailable;
    private static volatile boolean probed;

    private final Path dir;
    private final String cgroupPath;

    private CgroupSandbox(Path dir, String cgroupPath) {
        this.dir = dir;
        this.cgroupPath = cgroupPath;
    }

    /** This process's memory cgroup: its directory on the host and its path in the hierarchy. */
    record Parent(Path dir, String cgroupPath) {
    }

    /**
     * A mounted cgroup hierarchy: a v1 one (its controllers, or {@code name=...}, from the super
     * options) or the v2/unified tree (no controllers), and this process's path in it from
     * /proc/self/cgroup (null when that file has no line for it).
     */
    public record Hierarchy(Path mountPoint, String mountRoot, Set<String> controllers, String ownPath) {

        /** The directory of a cgroup path (as /proc/self/cgroup shows it), or null when it is not under the mount. */
        public Path dirOf(String path) {
            if (mountRoot.equals("/")) {
                return Path.of(mountPoint + (path.equals("/") ? "" : path));
            }
            if (path.equals(mountRoot) || path.startsWith(mountRoot + "/")) {
                return Path.of(mountPoint + path.substring(mountRoot.length()));
            }
            return null;
        }
    }

    /** Every cgroup (v1) and cgroup2 mount in /proc/self/mountinfo, with this process's path in each. */
    public static List<Hierarchy> hierarchies() throws IOException {
        Map<Set<String>, String> own = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] p = line.split(":", 3);
            if (p.length == 3) {
                own.put(p[1].isEmpty() ? Set.of() : Set.of(p[1].split(",")), p[2]);
            }
        }
        List<Hierarchy> result = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            List<String> f = Arrays.asList(line.split(" "));
            int sep = f.size() > 6 ? f.subList(6, f.size()).indexOf("-") + 6 : -1;
            if (sep < 6 || sep + 3 >= f.size() || !f.get(sep + 1).startsWith("cgroup")) {
                continue;
            }
            Set<String> controllers = new HashSet<>();
            if (f.get(sep + 1).equals("cgroup")) {
                for (String o : f.get(sep + 3).split(",")) {
                    if (own.keySet().stream().anyMatch(k -> k.contains(o))) {
                        controllers.add(o); // drops rw, relatime, ...: what /proc/self/cgroup names
                    }
                }
            } else if (!f.get(sep + 1).equals("cgroup2")) {
                continue;
            }
            result.add(new Hierarchy(Path.of(unescape(f.get(4))), unescape(f.get(3)), Set.copyOf(controllers),
                    own.get(controllers)));
        }
        return result;
    }

    /**
     * Resolves our own v1 memory cgroup: the memory controller's mount (one under /sys/fs/cgroup
     * preferred), our path from /proc/self/cgroup. Throws {@link IllegalStateException} with the
     * reason when that is not possible.
     */
    static Parent parent() throws IOException {
        Hierarchy memory = null;
        for (Hierarchy h : hierarchies()) {
            if (h.controllers().contains("memory") && (memory == null || h.mountPoint().startsWith("/sys/fs/cgroup"))) {
                memory = h;
            }
        }
        if (memory == null) {
            throw new IllegalStateException("no cgroup v1 mount with the memory controller in /proc/self/mountinfo"
                    + " (cgroup v2 host?)");
        }
        if (memory.ownPath() == null) {
            throw new IllegalStateException("no cgroup v1 memory controller in /proc/self/cgroup");
        }
        Path dir = memory.dirOf(memory.ownPath());
        if (dir == null) {
            throw new IllegalStateException("memory cgroup " + memory.ownPath() + " is not visible under mount root "
                    + memory.mountRoot());
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("memory cgroup directory " + dir + " does not exist");
        }
        return new Parent(dir, memory.ownPath());
    }

    /** This process's own v1 memory cgroup directory (where sandboxes and scripts create children). */
    public static String ownMemoryCgroupDir() throws IOException {
        return parent().dir().toString();
    }

    /** This process's own v1 memory cgroup path, as /proc/self/cgroup shows it. */
    public static String ownMemoryCgroupPath() throws IOException {
        return parent().cgroupPath();
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Null when a sandbox can be made here, else why not (probed once: a real mkdir and rmdir). */
    public static String available() {
        if (!probed) {
            synchronized (CgroupSandbox.class) {
                if (!probed) {
                    unavailable = probe();
                    probed = true;
                }
            }
        }
        return unavailable;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        try {
            if (!isRoot()) {
                return "not root: creating a memory cgroup needs uid 0";
            }
            Parent parent = parent();
            if (!Files.isWritable(parent.dir())) {
                return parent.dir() + " is not writable (read-only cgroup mount?)";
            }
            try (CgroupSandbox probe = create(64L << 20)) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return "cannot make a memory cgroup: " + e;
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // effective uid
            }
        }
        return false;
    }

    /**
     * JUnit guard: returns when a sandbox can be made; otherwise fails under {@code CI=true}
     * (real cgroup tests must run there) and aborts (skips) the test elsewhere, with the reason.
     */
    public static void requireCgroups() {
        String reason = available();
        if (reason == null) {
            return;
        }
        Required.unavailable("real cgroup tests", reason);
    }

    /** Creates headroom-test-&lt;random&gt; under our own memory cgroup with the given limit (and memsw limit). */
    public static CgroupSandbox create(long limitBytes) throws IOException {
        Parent parent = parent();
        String name = "headroom-test-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createDirectory(parent.dir().resolve(name));
        CgroupSandbox box = new CgroupSandbox(dir, (parent.cgroupPath().equals("/") ? "" : parent.cgroupPath()) + "/" + name);
        try {
            box.write("memory.limit_in_bytes", Long.toString(limitBytes));
            if (Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                // memsw must stay >= the memory limit: set after it
                box.write("memory.memsw.limit_in_bytes", Long.toString(limitBytes));
            }
            long readBack = box.readLong("memory.limit_in_bytes");
            if (readBack != limitBytes) {
                throw new IOException("memory.limit_in_bytes reads back " + readBack + ", not " + limitBytes);
            }
        } catch (IOException | RuntimeException e) {
            box.close();
            throw e;
        }
        return box;
    }

    /** The cgroup directory on the host, e.g. /sys/fs/cgroup/memory/.../headroom-test-1a2b3c4d. */
    public Path dir() {
        return dir;
    }

    /** The path as /proc/&lt;pid&gt;/cgroup shows it for a process inside. */
    public String cgroupPath() {
        return cgroupPath;
    }

    public void write(String file, String value) throws IOException {
        Files.write(dir.resolve(file), value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A single-number file of the sandbox, e.g. memory.usage_in_bytes. */
    public long readLong(String file) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(file), StandardCharsets.US_ASCII).trim());
    }

    /** A key of a key-value file of the sandbox (memory.stat, memory.oom_control). */
    public long readKey(String file, String key) throws IOException {
        for (String line : Files.readAllLines(dir.resolve(file))) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        throw new IOException("no " + key + " in " + dir.resolve(file));
    }

    /** OOM kills in this cgroup so far (memory.oom_control oom_kill). */
    public long oomKills() throws IOException {
        return readKey("memory.oom_control", "oom_kill");
    }

    /** The processes inside now. */
    public List<Long> pids() throws IOException {
        return pids(dir);
    }

    private static List<Long> pids(Path dir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
        return pids;
    }

    /** The command, run so that the shell moves itself into the sandbox before exec. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Kills what still runs inside and removes the cgroup, retrying for a few seconds. */
    @Override
    public void close() throws IOException {
        remove(dir);
    }

    /** Kills what still runs in the cgroup directory and removes it (rmdir), retrying for a few seconds. */
    public static void remove(Path dir) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        IOException last = null;
        while (Files.exists(dir)) {
            for (long pid : pids(dir)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Files.deleteIfExists(dir); // rmdir: works on a cgroup with no tasks and no children
                return;
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("cannot remove " + dir + " (tasks: " + pids(dir) + ")", last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing " + dir, e);
            }
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
