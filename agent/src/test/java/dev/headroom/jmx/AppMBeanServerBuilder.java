package dev.headroom.jmx;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import java.util.concurrent.atomic.AtomicInteger;

/** An application's own MBeanServerBuilder (javax.management.builder.initial), counting the servers it builds. */
public class AppMBeanServerBuilder extends MBeanServerBuilder {
    public static final AtomicInteger BUILT = new AtomicInteger();

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        BUILT.incrementAndGet();
        return super.newMBeanServer(defaultDomain, outer, delegate);
    }
}
