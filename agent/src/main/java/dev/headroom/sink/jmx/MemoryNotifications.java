package dev.headroom.sink.jmx;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.Relief;
import dev.headroom.runtime.ReliefListener;
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
public final class MemoryNotifications extends NotificationBroadcasterSupport implements AssessmentListener, ReliefListener {

    public static final String LEVEL = "dev.headroom.level";
    public static final String OOM_KILL = "dev.headroom.oom-kill";
    public static final String LIMIT_CHANGE = "dev.headroom.limit-change";
    public static final String RELIEF = "dev.headroom.relief";

    static final String[] ITEMS = {
        "type", "level", "previousLevel", "cause", "utilization", "workingSetBytes", "limitBytes", "headroomBytes",
        "headroomRatio", "growthBytesPerSecond", "secondsToLimit", "oomKills", "newOomKills", "previousLimitBytes",
        "bindingDir", "sequence", "sampleTimeMillis",
    };
    private static final String[] ITEM_DESCRIPTIONS = {
        "notification type", "level after the change", "level before", "what raised the level (empty at OK)",
        "working set / binding limit (NaN when unknown)", "binding working set, bytes (-1 when unknown)",
        "binding limit, bytes (-1 when unknown)", "memory left before the binding limit, bytes (-1 when unknown)",
        "headroom / binding limit (NaN when unknown)", "growth of the working set, bytes per second (NaN when unknown)",
        "seconds to the limit at steady growth (NaN when none)", "OOM kills in the cgroup so far (-1 when unknown)",
        "OOM kills since the previous sample", "binding limit before this sample, bytes (-1 when unknown)",
        "directory of the binding level, or 'host'", "sample number", "sample time, ms since the epoch",
    };
    private static final OpenType<?>[] ITEM_TYPES = {
        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.DOUBLE,
        SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.DOUBLE, SimpleType.DOUBLE,
        SimpleType.DOUBLE, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING,
        SimpleType.LONG, SimpleType.LONG,
    };
    static final CompositeType EVENT_TYPE = eventType();

    static final String[] RELIEF_ITEMS = {
        "type", "action", "outcome", "message", "freedBytes", "durationMillis", "workingSetBeforeBytes",
        "workingSetAfterBytes", "sampleTimeMillis",
    };
    private static final String[] RELIEF_ITEM_DESCRIPTIONS = {
        "notification type", "heap, native or readiness", "done, skipped or restored", "what was done or why not",
        "what the JVM gave back by its own count, bytes", "how long the action took, ms (NaN when nothing ran)",
        "binding working set before, bytes (-1 when not measured)", "binding working set a second after, bytes (-1 when not measured)",
        "time of the event, ms since the epoch",
    };
    private static final OpenType<?>[] RELIEF_ITEM_TYPES = {
        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.DOUBLE,
        SimpleType.LONG, SimpleType.LONG, SimpleType.LONG,
    };
    static final CompositeType RELIEF_TYPE = type("dev.headroom.ReliefEvent", "what headroom's relief did",
            RELIEF_ITEMS, RELIEF_ITEM_DESCRIPTIONS, RELIEF_ITEM_TYPES);

    private static final String SENT_AS = " Sent as a javax.management.Notification; the message says it in words, the"
            + " user data is a CompositeData dev.headroom.MemoryEvent with the numbers.";

    /**
     * One entry per type. The name is the type, not the class the JMX spec suggests: every
     * notification here is a plain {@link Notification} (a class of ours could not be
     * deserialized by a remote client), and JConsole labels each entry by its name, so three
     * entries named after the class would be identical nodes.
     */
    private static final MBeanNotificationInfo[] INFO = {
        new MBeanNotificationInfo(new String[] {LEVEL}, LEVEL,
                "The memory level changed (OK, WARNING, CRITICAL, UNKNOWN)." + SENT_AS),
        new MBeanNotificationInfo(new String[] {OOM_KILL}, OOM_KILL,
                "The kernel OOM-killed a process in this cgroup since the previous sample." + SENT_AS),
        new MBeanNotificationInfo(new String[] {LIMIT_CHANGE}, LIMIT_CHANGE,
                "The binding memory limit changed (e.g. a Kubernetes in-place resize)." + SENT_AS),
        new MBeanNotificationInfo(new String[] {RELIEF}, RELIEF,
                "Relief gave memory back, skipped (and why), changed the readiness file, or put flags back. Sent as a"
                + " javax.management.Notification; the user data is a CompositeData dev.headroom.ReliefEvent."),
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

    @Override
    public void onRelief(Relief r) {
        try {
            Notification n = new Notification(RELIEF, source, sequence.incrementAndGet(), r.wallMillis,
                    "relief " + r.action + " " + r.outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + r.message);
            n.setUserData(reliefData(r));
            sendNotification(n);
        } catch (Throwable t) {
            // a notification is never worth disturbing the sampler
        }
    }

    static CompositeData reliefData(Relief r) throws OpenDataException {
        Object[] values = {
            RELIEF, r.action, r.outcome.name().toLowerCase(java.util.Locale.ROOT), r.message, Open.size(r.freedBytes),
            r.durationNanos < 0 ? Double.NaN : r.durationNanos / 1e6, Open.size(r.workingSetBefore),
            Open.size(r.workingSetAfter), r.wallMillis,
        };
        return new CompositeDataSupport(RELIEF_TYPE, RELIEF_ITEMS, values);
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
            Open.size(h.bindingWorkingSet), Open.size(h.bindingLimit), Open.size(h.headroomBytes),
            a.headroomRatio(), a.growthBytesPerSecond, a.secondsToLimit, Open.size(a.sample.get(Metric.OOM_KILLS)),
            a.newOomKills, Open.size(a.previousLimitBytes), Open.text(h.bindingDir), a.sequence, a.sample.wallMillis,
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
        return type("dev.headroom.MemoryEvent", "the numbers behind a headroom notification", ITEMS, ITEM_DESCRIPTIONS,
                ITEM_TYPES);
    }

    private static CompositeType type(String name, String description, String[] items, String[] descriptions,
                                      OpenType<?>[] types) {
        try {
            return new CompositeType(name, description, items, descriptions, types);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }
}
