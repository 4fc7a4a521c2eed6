package dev.headroom.sink.jmx;

import dev.headroom.jmx.ContainerMemoryMXBean;
import dev.headroom.jmx.JvmMemoryMXBean;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.analysis.Assessment;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;
import javax.management.StandardMBean;
import java.util.function.Supplier;

/**
 * Puts the two MXBeans into an MBean server: {@value ContainerMemory#OBJECT_NAME} (with the
 * notifications) and {@value JvmMemory#OBJECT_NAME}, each wrapped so its MBeanInfo carries the
 * {@link Descriptions}. Used by the late registration with the platform server, and by tests
 * with a server of their own.
 */
public final class HeadroomMBeans {

    private final MBeanServer server;
    private final MemoryNotifications notifications;

    private HeadroomMBeans(MBeanServer server, MemoryNotifications notifications) {
        this.server = server;
        this.notifications = notifications;
    }

    /** Registers both MBeans; if the second fails the first is taken out again, and the failure thrown. */
    public static HeadroomMBeans register(MBeanServer server, Supplier<Assessment> latest) throws JMException {
        ObjectName containerName = new ObjectName(ContainerMemory.OBJECT_NAME);
        ObjectName jvmName = new ObjectName(JvmMemory.OBJECT_NAME);
        MemoryNotifications notifications = new MemoryNotifications(containerName);
        server.registerMBean(new Described<>(new ContainerMemory(latest), ContainerMemoryMXBean.class, notifications),
                containerName);
        try {
            server.registerMBean(new DescribedMBean<>(new JvmMemory(latest), JvmMemoryMXBean.class), jvmName);
        } catch (JMException | RuntimeException e) {
            server.unregisterMBean(containerName);
            throw e;
        }
        return new HeadroomMBeans(server, notifications);
    }

    /** Sends the notifications an assessment (or a relief event) calls for. */
    public MemoryNotifications notifications() {
        return notifications;
    }

    /** Takes both MBeans out again (tests). */
    public void unregister() throws JMException {
        server.unregisterMBean(new ObjectName(ContainerMemory.OBJECT_NAME));
        server.unregisterMBean(new ObjectName(JvmMemory.OBJECT_NAME));
    }

    /** An MXBean that emits notifications, with attribute descriptions. */
    static final class Described<T> extends StandardEmitterMBean {
        Described(T impl, Class<T> mxbeanInterface, MemoryNotifications emitter) throws NotCompliantMBeanException {
            super(impl, mxbeanInterface, true, emitter);
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            String d = Descriptions.of(info.getName());
            return d == null ? super.getDescription(info) : d;
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return "report".equals(info.getName()) ? "The text report of the latest sample: the snapshot, the level, the trend and the JVM breakdown"
                    : super.getDescription(info);
        }

        @Override
        protected int getImpact(MBeanOperationInfo info) {
            return MBeanOperationInfo.INFO;
        }

        @Override
        protected String getDescription(javax.management.MBeanInfo info) {
            return "The container's memory as headroom's latest sample saw it: limits, working set, headroom, level, trend, events";
        }
    }

    /** An MXBean without notifications, with attribute descriptions. */
    static final class DescribedMBean<T> extends StandardMBean {
        DescribedMBean(T impl, Class<T> mxbeanInterface) throws NotCompliantMBeanException {
            super(impl, mxbeanInterface, true);
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            String d = Descriptions.of(info.getName());
            return d == null ? super.getDescription(info) : d;
        }

        @Override
        protected String getDescription(javax.management.MBeanInfo info) {
            return "What the JVM accounts for at headroom's latest sample, and the native memory it does not";
        }
    }
}
