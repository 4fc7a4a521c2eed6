package dev.headroom.sink.jmx;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import dev.headroom.parse.Values;
import dev.headroom.text.Units;
import dev.headroom.sample.Metric;

import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ContainerMemory MBean's notifications: one per level change, per tick with new OOM kills in
 * the cgroup and per change of the binding limit, each with a {@link CompositeData} of the
 * numbers as user data. Sent on the sampler thread through the default (synchronous)
 * {@link NotificationBroadcasterSupport}: remote clients are buffered by the JMX connector, an
 * in-process listener must return quickly; a listener that throws is caught and ignored.
 */
public final class MemoryNotifications extends NotificationBroadcasterSupport implements AssessmentListener {

    public static final String LEVEL = "dev.headroom.level";
    public static final String OOM_KILL = "dev.headroom.oom-kill";
    public static final String LIMIT_CHANGE = "dev.headroom.limit-change";

    static final String[] ITEMS = {
        "type", "level", "previousLevel", "cause", "utilization", "workingSetBytes", "limitBytes", "headroomBytes",
        "headroomRatio", "growthBytesPerSecond", "secondsToLimit", "oomKills", "newOomKills", "previousLimitBytes",
        "bindingDir", "sequence", "sampleTimeMillis",
    };
    private static final String[] ITEM_DESCRIPTIONS = {
        "notification type", "level after the change", "level before", "what raised the level (empty at OK)",
        "working set / binding limit", "binding working set, bytes", "binding limit, bytes",
        "memory left before the binding limit, bytes", "headroom / binding limit",
        "growth of the working set, bytes per second", "seconds to the limit at steady growth (NaN when none)",
        "OOM kills in the cgroup so far", "OOM kills since the previous sample",
        "binding limit before this sample, bytes", "directory of the binding level, or 'host'",
        "sample number", "sample time, ms since the epoch",
    };
    private static final OpenType<?>[] ITEM_TYPES = {
        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.DOUBLE,
        SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE,
        SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.LONG, SimpleType.DOUBLE, SimpleType.STRING,
        SimpleType.LONG, SimpleType.LONG,
    };
    static final CompositeType EVENT_TYPE = eventType();

    private static final MBeanNotificationInfo[] INFO = {
        new MBeanNotificationInfo(new String[] {LEVEL}, Notification.class.getName(),
                "The memory level changed (OK, WARNING, CRITICAL, UNKNOWN); user data: the numbers behind it"),
        new MBeanNotificationInfo(new String[] {OOM_KILL}, Notification.class.getName(),
                "The kernel OOM-killed a process in this cgroup since the previous sample"),
        new MBeanNotificationInfo(new String[] {LIMIT_CHANGE}, Notification.class.getName(),
                "The binding memory limit changed (e.g. a Kubernetes in-place resize)"),
    };

    private final ObjectName source;
    private final AtomicLong sequence = new AtomicLong();

    public MemoryNotifications(ObjectName source) {
        super(INFO);
        this.source = source;
    }

    @Override
    public void onAssessment(Assessment a) {
        if (a.has(Assessment.LEVEL_CHANGED)) {
            send(LEVEL, a, "level " + a.previousLevel + " -> " + a.level
                    + (a.cause == null ? "" : " (" + a.cause + ")") + ": " + numbers(a));
        }
        if (a.has(Assessment.OOM_KILL)) {
            long total = a.sample.get(Metric.OOM_KILLS);
            send(OOM_KILL, a, a.newOomKills + " OOM kill(s) in the cgroup ("
                    + (Values.known(total) ? Long.toString(total) : Units.UNKNOWN) + " in total): " + numbers(a));
        }
        if (a.has(Assessment.LIMIT_CHANGED)) {
            send(LIMIT_CHANGE, a, "binding limit changed from " + Units.bytes(a.previousLimitBytes) + " to "
                    + Units.bytes(a.headroom.bindingLimit) + ": " + numbers(a));
        }
    }

    private void send(String type, Assessment a, String message) {
        try {
            Notification n = new Notification(type, source, sequence.incrementAndGet(), a.sample.wallMillis, message);
            n.setUserData(userData(type, a));
            sendNotification(n);
        } catch (Throwable t) {
            // a notification is never worth disturbing the sampler
        }
    }

    static CompositeData userData(String type, Assessment a) throws OpenDataException {
        Headroom h = a.headroom;
        Object[] values = {
            type, a.level.name(), a.previousLevel.name(), Open.text(a.cause == null ? null : a.cause.text()), a.utilization,
            Open.number(h.bindingWorkingSet), Open.number(h.bindingLimit), Open.number(h.headroomBytes),
            a.headroomRatio(), a.growthBytesPerSecond, a.secondsToLimit, Open.number(a.sample.get(Metric.OOM_KILLS)),
            a.newOomKills, Open.number(a.previousLimitBytes), Open.text(h.bindingDir), a.sequence, a.sample.wallMillis,
        };
        return new CompositeDataSupport(EVENT_TYPE, ITEMS, values);
    }

    private static String numbers(Assessment a) {
        Headroom h = a.headroom;
        return "utilization " + Units.percent(a.utilization) + ", working set " + Units.bytes(h.bindingWorkingSet)
                + " of " + Units.bytes(h.bindingLimit) + ", headroom " + Units.bytes(h.headroomBytes)
                + ", growth " + Units.rate(a.growthBytesPerSecond);
    }

    private static CompositeType eventType() {
        try {
            return new CompositeType("dev.headroom.MemoryEvent", "the numbers behind a headroom notification",
                    ITEMS, ITEM_DESCRIPTIONS, ITEM_TYPES);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }
}
