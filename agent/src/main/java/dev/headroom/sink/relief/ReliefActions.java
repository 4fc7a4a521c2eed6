package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.parse.Values;
import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.OneShot;
import dev.headroom.runtime.Relief;
import dev.headroom.text.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the configured relief actions when the kill is near: each at most once per episode and
 * never sooner than {@code repeat} after its previous run ({@link Episode}). The decision is
 * taken on the sampler thread; the actions (a full GC, a malloc_trim) run one after the other
 * on a short-lived {@code headroom-relief} thread, so sampling goes on meanwhile. Each outcome
 * is reported on the first tick at least {@link #SETTLE_MILLIS} after the run ended, with the
 * cgroup's working set then: the JVM returns memory to the kernel a moment after the GC (G1
 * uncommits concurrently). When an episode is over, what an action changed is put back.
 */
final class ReliefActions implements AssessmentListener {

    static final long SETTLE_MILLIS = 1000;

    /** One action and its bookkeeping. */
    private static final class Slot {
        final Action action;
        final Episode episode;
        boolean skipSaid;
        Action.Result result;

        Slot(Action action, long repeatMillis) {
            this.action = action;
            this.episode = new Episode(repeatMillis);
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final ReliefReport report;
    /** Set by the relief thread when its actions are done. */
    private volatile boolean finished;
    /** The time of the first sample that saw them done (the samples' clock), or -1. */
    private long finishedAt = -1;
    private List<Slot> running;
    private long workingSetBefore;

    ReliefActions(List<Action> actions, long repeatMillis, ReliefReport report) {
        for (Action action : actions) {
            slots.add(new Slot(action, repeatMillis));
        }
        this.report = report;
    }

    @Override
    public void onAssessment(Assessment a) {
        long now = a.sample.wallMillis;
        if (running != null) {
            if (finished && finishedAt < 0) {
                finishedAt = now;
            }
            if (finishedAt < 0 || now - finishedAt < SETTLE_MILLIS) {
                return; // nothing else until the running actions are reported
            }
            reportResults(a);
        }
        List<Slot> due = new ArrayList<>();
        for (Slot s : slots) {
            if (s.episode.ended(a.level)) {
                String restored = s.action.restore();
                if (restored != null) {
                    report.report(a, Relief.note(s.action.name(), Relief.Outcome.RESTORED, restored + " (level OK)", now));
                }
            }
            if (a.level == Level.OK) {
                s.skipSaid = false;
            }
            if (!s.episode.due(a.level, a.secondsToLimit, now)) {
                continue;
            }
            String why = s.action.skipReason(a);
            if (why == null) {
                s.episode.acted(now);
                due.add(s);
            } else if (!s.skipSaid && !why.isEmpty()) {
                s.skipSaid = true;
                report.report(a, Relief.note(s.action.name(), Relief.Outcome.SKIPPED, why, now));
            }
        }
        if (!due.isEmpty()) {
            start(due, a);
        }
    }

    private void start(final List<Slot> due, Assessment a) {
        running = due;
        workingSetBefore = a.headroom.bindingWorkingSet;
        finished = false;
        finishedAt = -1;
        OneShot.start("headroom-relief", new Runnable() {
            @Override
            public void run() {
                try {
                    for (Slot s : due) {
                        s.result = s.action.run();
                    }
                } finally {
                    finished = true; // even after an Error: the sampler must not wait for good
                }
            }
        });
    }

    private void reportResults(Assessment a) {
        long after = a.headroom.bindingWorkingSet;
        for (Slot s : running) {
            Action.Result r = s.result == null ? Action.Result.cannot("did not finish") : s.result;
            s.result = null;
            if (!r.acted) {
                report.report(a, Relief.note(s.action.name(), Relief.Outcome.SKIPPED, r.done, a.sample.wallMillis));
                continue;
            }
            String message = r.done + ", working set " + Units.bytes(workingSetBefore) + " -> " + Units.bytes(after)
                    + " (a second after), in " + ReliefReport.millis(r.durationNanos) + ": " + r.how;
            report.report(a, new Relief(s.action.name(), Relief.Outcome.DONE, message, r.freedBytes, r.durationNanos,
                    workingSetBefore, Values.known(after) ? after : Values.UNKNOWN, a.sample.wallMillis));
        }
        running = null;
    }
}
