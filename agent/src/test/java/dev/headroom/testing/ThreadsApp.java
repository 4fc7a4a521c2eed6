package dev.headroom.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny application for child JVM tests: sleeps (default 1500 ms, or the first argument), then
 * prints every live thread on stdout as {@code thread name=<name> daemon=<true|false> priority=<n>}
 * and the {@code headroom.agent.active} property as {@code active=<value>}.
 */
public final class ThreadsApp {

    private ThreadsApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 1500);
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            out.add("thread name=" + t.getName() + " daemon=" + t.isDaemon() + " priority=" + t.getPriority());
        }
        out.sort(null);
        out.forEach(System.out::println);
        System.out.println("active=" + System.getProperty("headroom.agent.active"));
        System.out.flush();
    }
}
