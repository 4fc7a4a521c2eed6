package dev.headroom.runtime;

/**
 * Runs slow, rare work (registering the MXBeans, which creates the platform MBean server;
 * diagnostic commands) on a short-lived daemon thread, so the sampler never stalls at the moment
 * it matters: a platform MBean server takes hundreds of milliseconds to build, seconds on a
 * loaded machine. Errors are the task's own business: it must catch and log them.
 */
public final class OneShot {

    private OneShot() {
    }

    public static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.setContextClassLoader(OneShot.class.getClassLoader());
        thread.start();
    }
}
