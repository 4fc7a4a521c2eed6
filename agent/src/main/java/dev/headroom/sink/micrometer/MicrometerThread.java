package dev.headroom.sink.micrometer;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The {@value #NAME} daemon thread, which exists only while there is work: it ends
 * {@value #KEEP_ALIVE_SECONDS} s after its last task and is started again by the next one.
 * Started only from the sampler's or its own thread, never from an application thread.
 */
final class MicrometerThread {

    static final String NAME = "headroom-micrometer";
    /** How long the idle thread lingers before it ends. */
    static final long KEEP_ALIVE_SECONDS = 3;

    private volatile ScheduledThreadPoolExecutor executor;

    void execute(Runnable task) {
        executor().execute(task);
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    e = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
                        @Override
                        public Thread newThread(Runnable r) {
                            Thread t = new Thread(r, NAME);
                            t.setDaemon(true);
                            t.setContextClassLoader(MicrometerThread.class.getClassLoader());
                            t.setUncaughtExceptionHandler(new Thread.UncaughtExceptionHandler() {
                                @Override
                                public void uncaughtException(Thread thread, Throwable error) {
                                }
                            });
                            return t;
                        }
                    });
                    // no thread at all when idle: a worker stays while a delayed task is queued
                    // (ThreadPoolExecutor.getTask never lets the last worker go with a non-empty queue)
                    e.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                    e.allowCoreThreadTimeOut(true);
                    e.setRemoveOnCancelPolicy(true);
                    executor = e;
                }
            }
        }
        return e;
    }
}
