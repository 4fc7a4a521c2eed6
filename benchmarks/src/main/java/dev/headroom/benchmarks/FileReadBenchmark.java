package dev.headroom.benchmarks;

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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's cost of one file: a positional read from offset 0 on a channel kept open (what
 * headroom does per file per tick). scripts/bench.sh passes every file a tick reads with
 * {@code -p path=...}, so the table shows where a tick's time goes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FileReadBenchmark {

    @Param({"/proc/meminfo"})
    public String path;

    private FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    @Setup(Level.Trial)
    public void open() throws IOException {
        channel = FileChannel.open(Paths.get(path), StandardOpenOption.READ);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
    }

    @Benchmark
    public int keptOpen() throws IOException {
        buffer.clear();
        return channel.read(buffer, 0);
    }
}
