package headroombench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The smallest application that uses Micrometer: creates a SimpleMeterRegistry, counts once,
 * prints a line and exits. Prints {@code main-at-ms=N} (JVM start to main) on stderr, so the
 * startup script can measure time-to-main separately from the whole run.
 */
public final class MicrometerHello {

    private MicrometerHello() {
    }

    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        MeterRegistry registry = new SimpleMeterRegistry();
        Counter counter = Counter.builder("hello.calls").register(registry);
        counter.increment();
        System.out.println("hello micrometer, meters=" + registry.getMeters().size());
        System.err.println("main-at-ms=" + TimeToMain.since(mainMillis));
    }
}
