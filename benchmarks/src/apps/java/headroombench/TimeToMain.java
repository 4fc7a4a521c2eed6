package headroombench;

import java.lang.management.ManagementFactory;

/** Milliseconds from JVM start (RuntimeMXBean start time) to a moment taken first thing in main. */
final class TimeToMain {

    private TimeToMain() {
    }

    /** Call with System.currentTimeMillis() taken as the first statement of main. */
    static long since(long mainMillis) {
        return mainMillis - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
