package headroombench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The smallest application that uses Micrometer: creates a SimpleMeterRegistry, counts once,
 * prints a line and exits. Prints {@code main-at-ms=N} (JVM start to main) on stderr, so the
 * startup script can measure time-to-main separately from the whole run.
 *
 * <p>With an argument N it stays N ms, publishing its meters every 250 ms as a scrape would (so
 * the agent finds and binds the registry), and prints {@code meters-at-exit=N}: the run in which
 * the agent's Micrometer binding happens, for the CPU it costs.
 */
public final class MicrometerHello {

    private MicrometerHello() {
    }

    public static void main(String[] args) throws InterruptedException {
        long mainMillis = System.currentTimeMillis();
        MeterRegistry registry = new SimpleMeterRegistry();
        Counter counter = Counter.builder("hello.calls").register(registry);
        counter.increment();
        System.out.println("hello micrometer, meters=" + registry.getMeters().size());
        System.err.println("main-at-ms=" + TimeToMain.since(mainMillis));
        if (args.length > 0) {
            long end = System.currentTimeMillis() + Long.parseLong(args[0]);
            while (System.currentTimeMillis() < end) {
                Thread.sleep(250);
                registry.getMeters();
            }
            System.err.println("meters-at-exit=" + registry.getMeters().size());
        }
    }
}
