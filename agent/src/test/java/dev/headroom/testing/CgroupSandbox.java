package dev.headroom.testing;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * Resolves our own v1 memory cgroup: the memory controller's mount found by super options in
     * /proc/self/mountinfo (one under /sys/fs/cgroup preferred), our path from /proc/self/cgroup.
     * Throws {@link IllegalStateException} with the reason when that is not possible.
     */
    static Parent parent() throws IOException {
        String path = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] p = line.split(":", 3);
            if (p.length == 3 && Arrays.asList(p[1].split(",")).contains("memory")) {
                path = p[2];
            }
        }
        if (path == null) {
            throw new IllegalStateException("no cgroup v1 memory controller in /proc/self/cgroup (cgroup v2 host?)");
        }
        String mountPoint = null;
        String mountRoot = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            List<String> f = Arrays.asList(line.split(" "));
            int sep = f.size() > 6 ? f.subList(6, f.size()).indexOf("-") + 6 : -1;
            if (sep < 6 || sep + 3 >= f.size() || !f.get(sep + 1).equals("cgroup")
                    || !Arrays.asList(f.get(sep + 3).split(",")).contains("memory")) {
                continue;
            }
            if (mountPoint == null || f.get(4).startsWith("/sys/fs/cgroup")) {
                mountPoint = unescape(f.get(4));
                mountRoot = unescape(f.get(3));
            }
        }
        if (mountPoint == null) {
            throw new IllegalStateException("/proc/self/mountinfo has no cgroup v1 mount with the memory controller");
        }
        String relative;
        if (mountRoot.equals("/")) {
            relative = path;
        } else if (path.equals(mountRoot) || path.startsWith(mountRoot + "/")) {
            relative = path.substring(mountRoot.length());
        } else {
            throw new IllegalStateException("memory cgroup " + path + " is not visible under mount root " + mountRoot);
        }
        Path dir = Path.of(mountPoint + relative);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("memory cgroup directory " + dir + " does not exist");
        }
        return new Parent(dir, path);
    }

    /** This process's own v1 memory cgroup directory (where sandboxes and scripts create children). */
    public static String ownMemoryCgroupDir() throws IOException {
        return parent().dir().toString();
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
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("real cgroup tests must run under CI=true, but: " + reason);
        }
        org.junit.jupiter.api.Assumptions.abort("real cgroup tests skipped: " + reason);
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
        long deadline = System.nanoTime() + 10_000_000_000L;
        IOException last = null;
        while (Files.exists(dir)) {
            for (long pid : pids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Files.deleteIfExists(dir); // rmdir: works on a cgroup with no tasks and no children
                return;
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("cannot remove " + dir + " (tasks: " + pids() + ")", last);
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
