package dev.headroom.benchmarks;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Thresholds;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSampler;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.KeyValues;
import dev.headroom.sample.Sample;
import dev.headroom.runtime.SampleReader;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-sample cost on the real "/" of this machine: one headroom tick against the JDK's own
 * container-aware pair and against the bare I/O floor of reading the same files.
 *
 * <ul>
 *   <li>{@link #tick}: SampleReader.read + Analyzer.assess (all cgroup and proc reads, parsing, analysis)</li>
 *   <li>{@link #tickWithJvm}: as the sampler thread does it, with the JVM breakdown (MXBean pools) too</li>
 *   <li>{@link #read}: SampleReader.read alone (reads and parsing)</li>
 *   <li>{@link #jvmSnapshot}: JvmSampler.read alone</li>
 *   <li>{@link #jdkTotalAndFree}: OperatingSystemMXBean getTotalMemorySize() + getFreeMemorySize()</li>
 *   <li>{@link #bareReadAllBytes}: Files.readAllBytes on every file a tick reads, no parsing</li>
 *   <li>{@link #bareKeptOpen}: positional reads of the same files on channels kept open, no parsing</li>
 *   <li>{@link #parseMemoryStat}: KeyValues over the leaf's memory.stat bytes (v1 leaf keys)</li>
 * </ul>
 * The clock given to the tick advances by one sampling interval (1 s) per call, so the trend
 * window holds as many points as in production (30), not thousands.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TickBenchmark {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    @Param({"/"})
    public String root;

    private ChannelFileSource files;
    private SampleReader reader;
    private Analyzer analyzer;
    private JvmSampler jvm;
    private long clock;
    private long wall;
    private com.sun.management.OperatingSystemMXBean os;
    private List<String> paths;
    private FileChannel[] channels;
    private ByteBuffer buffer;
    private byte[] memoryStat;
    private long[] out;
    private KeyValues statKeys;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        files = new ChannelFileSource();
        reader = new SampleReader(files, root);
        analyzer = new Analyzer(Thresholds.defaults());
        jvm = new JvmSampler(JvmFlags.read());
        clock = System.nanoTime();
        wall = System.currentTimeMillis();
        os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        TickFiles tickFiles = TickFiles.learn(root);
        paths = tickFiles.existing;
        channels = new FileChannel[paths.size()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = FileChannel.open(Paths.get(paths.get(i)), StandardOpenOption.READ);
        }
        buffer = ByteBuffer.allocate(64 * 1024);
        String stat = null;
        for (String p : paths) {
            if (p.endsWith("/memory.stat")) {
                stat = p;
                break;
            }
        }
        memoryStat = stat == null ? new byte[0] : Files.readAllBytes(Paths.get(stat));
        statKeys = new KeyValues(
                "total_inactive_file", "total_rss", "total_cache", "total_shmem", "total_mapped_file",
                "inactive_file", "rss", "cache", "shmem", "mapped_file",
                "hierarchical_memory_limit");
        out = new long[statKeys.size()];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        files.close();
        for (FileChannel c : channels) {
            c.close();
        }
    }

    private Sample nextSample() {
        return nextSample(false);
    }

    /** The next tick's sample, one interval later; {@code calm}: as the sampler reads while healthy. */
    private Sample nextSample(boolean calm) {
        clock += INTERVAL_NANOS;
        wall += 1000;
        return reader.read(clock, wall, calm);
    }

    @Benchmark
    public Assessment tick() {
        return analyzer.assess(nextSample());
    }

    /** A calm tick (healthy, far from warn: the usual one): usage and memory.stat read, the rest put back. */
    @Benchmark
    public Assessment calmTick() {
        return analyzer.assess(nextSample(true));
    }

    @Benchmark
    public Assessment tickWithJvm() {
        Sample s = nextSample();
        return analyzer.assess(s, jvm.read());
    }

    @Benchmark
    public Sample read() {
        return nextSample();
    }

    @Benchmark
    public JvmSnapshot jvmSnapshot() {
        return jvm.read();
    }

    @Benchmark
    public long jdkTotalAndFree() {
        return os.getTotalMemorySize() + os.getFreeMemorySize();
    }

    @Benchmark
    public void bareReadAllBytes(Blackhole bh) throws IOException {
        for (int i = 0; i < paths.size(); i++) {
            bh.consume(Files.readAllBytes(Paths.get(paths.get(i))));
        }
    }

    @Benchmark
    public long bareKeptOpen() throws IOException {
        long total = 0;
        for (FileChannel c : channels) {
            buffer.clear();
            total += c.read(buffer, 0);
        }
        return total;
    }

    /** As {@link #bareKeptOpen}, plus the read at the end offset that confirms end of file (as ChannelFileSource does). */
    @Benchmark
    public long bareKeptOpenEof() throws IOException {
        long total = 0;
        for (FileChannel c : channels) {
            buffer.clear();
            int n = c.read(buffer, 0);
            total += n + c.read(buffer, n);
        }
        return total;
    }

    @Benchmark
    public long[] parseMemoryStat() {
        statKeys.parse(memoryStat, memoryStat.length, out);
        return out;
    }
}
