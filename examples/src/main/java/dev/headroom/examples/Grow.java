package dev.headroom.examples;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Grows memory of one kind at a steady rate until stopped, killed, or {@code --max} is reached.
 * <pre>
 * java -cp headroom-examples.jar dev.headroom.examples.Grow [KIND [RATE]]
 *     [--kind heap|direct|native|threads|metaspace|mapped|shmem]  (default heap)
 *     [--rate 20M]    bytes per second                           (default 20M)
 *     [--chunk 1M]    bytes per allocation                       (default 1M)
 *     [--stack 1M]    stack size of each thread, kind=threads    (default 1M; one thread per stack)
 *     [--max 0]       stop growing at this total, 0 = never      (default 0)
 *     [--hold 0s]     after --max, wait this long, then exit 0   (ms, s, m suffixes; default 0s)
 *     [--quiet]       no per-second progress lines
 * </pre>
 * Sizes take binary K, M, G suffixes. Output, on stdout:
 * <pre>
 * grow start kind=direct rate=20 MiB/s pid=1234 [file=/dev/shm/headroom-grow-1234]
 * grow kind=direct total=123 MiB rate=20 MiB/s            (every second, unless --quiet)
 * grow done total=512 MiB                                  (after --max and --hold)
 * </pre>
 * Exit status: 0 when done; 3 with {@code grow error: <message>} on stderr for an OutOfMemoryError raised by the
 * JVM itself (e.g. the direct memory limit, -Xmx, no more threads); 1 for any other error; 2 for bad usage.
 * The rate is kept by a fixed schedule: chunk n is allocated when the total so far is due, not after a fixed sleep.
 */
public final class Grow {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private String kind = "heap";
    private long rate = 20 * MIB;
    private long chunk = MIB;
    private long stack = MIB;
    private long max;
    private long holdMillis;
    private boolean quiet;

    private Grow() {
    }

    public static void main(String[] args) {
        Grow grow = new Grow();
        try {
            grow.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("grow: " + e.getMessage());
            System.err.println("usage: Grow [KIND [RATE]] [--kind heap|direct|native|threads|metaspace|mapped|shmem]"
                    + " [--rate 20M] [--chunk 1M] [--stack 1M] [--max 0] [--hold 0s] [--quiet]");
            System.exit(2);
        }
        System.exit(grow.run());
    }

    private int run() {
        final Grower grower;
        try {
            grower = Grower.of(kind, stack);
        } catch (Exception | Error e) {
            return fail(null, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(grower::close, "grow-cleanup"));
        String file = grower.file();
        System.out.println("grow start kind=" + kind + " rate=" + mib(rate) + "/s pid=" + pid()
                + (file == null ? "" : " file=" + file));
        System.out.flush();

        long total = 0;
        try {
            long start = System.nanoTime();
            long nextPrint = start + SECOND;
            while (max == 0 || total < max) {
                long now = System.nanoTime();
                if (now - nextPrint >= 0) {
                    if (!quiet) {
                        System.out.println("grow kind=" + kind + " total=" + (total / MIB) + " MiB rate="
                                + mib(rate) + "/s");
                        System.out.flush();
                    }
                    while (now - nextPrint >= 0) {
                        nextPrint += SECOND;
                    }
                }
                long due = start + (long) (total * (double) SECOND / rate);
                if (now - due < 0) {
                    sleepNanos(Math.min(due - now, nextPrint - now));
                    continue;
                }
                total += grower.grow(max == 0 ? chunk : Math.min(chunk, max - total));
            }
            if (holdMillis > 0) {
                Thread.sleep(holdMillis);
            }
        } catch (Exception | Error e) {
            return fail(grower, e);
        }
        System.out.println("grow done total=" + (total / MIB) + " MiB");
        System.out.flush();
        return 0;
    }

    /** Reports an error; 3 for an OutOfMemoryError, after dropping what was grown so there is room to report it. */
    private static int fail(Grower grower, Throwable e) {
        if (grower != null) {
            grower.release();
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        System.err.println("grow error: " + message);
        System.err.flush();
        return e instanceof OutOfMemoryError ? 3 : 1;
    }

    private void parse(String[] args) {
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quiet")) {
                quiet = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                if (positional == 0) {
                    kind = arg;
                } else if (positional == 1) {
                    rate = size(arg);
                } else {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
                positional++;
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            switch (name) {
                case "--kind":
                    kind = value;
                    break;
                case "--rate":
                    rate = size(value);
                    break;
                case "--chunk":
                    chunk = size(value);
                    break;
                case "--stack":
                    stack = size(value);
                    break;
                case "--max":
                    max = size(value);
                    break;
                case "--hold":
                    holdMillis = millis(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        if (!kind.matches("heap|direct|native|threads|metaspace|mapped|shmem")) {
            throw new IllegalArgumentException("unknown kind: " + kind);
        }
        if (rate <= 0 || chunk <= 0 || stack <= 0 || max < 0) {
            throw new IllegalArgumentException("rate, chunk and stack must be positive, max not negative");
        }
        if (chunk > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk must be below 2G");
        }
    }

    /** Parses {@code 123}, {@code 64K}, {@code 20M}, {@code 1G} (binary; {@code MiB}, {@code MB} also accepted). */
    static long size(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("I")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("M")) {
            unit = MIB;
        } else if (s.endsWith("G")) {
            unit = 1024 * MIB;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(s) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + text);
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, or plain seconds. */
    static long millis(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        double unit = 1000;
        if (s.endsWith("ms")) {
            unit = 1;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(s) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
    }

    /** {@code 20 MiB}, or {@code 0.5 MiB} for rates that are not whole MiB. */
    private static String mib(long bytes) {
        if (bytes % MIB == 0) {
            return (bytes / MIB) + " MiB";
        }
        return String.format(Locale.ROOT, "%.3f", bytes / (double) MIB).replaceAll("0+$", "") + " MiB";
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /** This process's id, without the Java 9 ProcessHandle API. */
    static String pid() {
        try {
            return new File("/proc/self").getCanonicalFile().getName();
        } catch (IOException | SecurityException e) {
            String name = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
            return name.substring(0, name.indexOf('@'));
        }
    }
}
