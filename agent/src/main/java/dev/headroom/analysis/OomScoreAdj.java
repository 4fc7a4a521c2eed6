package dev.headroom.analysis;

import dev.headroom.parse.Values;
import dev.headroom.text.Units;

/**
 * What {@code /proc/self/oom_score_adj} says about this process (ARCHITECTURE.md, "Kernel semantics
 * we follow"): the kubelet sets it by QoS class (Guaranteed −997, BestEffort 1000, Burstable
 * {@code 1000 − 1000·request/nodeCapacity} clamped to [3, 999]), so it reveals the class and, for
 * Burstable, an estimate of the pod's memory request.
 */
public final class OomScoreAdj {

    private OomScoreAdj() {
    }

    /** The class an adj value reveals. */
    public static QosClass qosClass(long adj) {
        if (!Values.known(adj)) {
            return QosClass.UNKNOWN;
        }
        if (adj == -1000) {
            return QosClass.NEVER_KILLED;
        }
        if (adj == -999) {
            return QosClass.NODE_CRITICAL;
        }
        if (adj == -997) {
            return QosClass.GUARANTEED;
        }
        if (adj == 1000) {
            return QosClass.BESTEFFORT;
        }
        if (adj >= 3 && adj <= 999) {
            return QosClass.BURSTABLE;
        }
        return adj == 0 ? QosClass.DEFAULT : QosClass.ADJUSTED;
    }

    /** The memory request a Burstable adj implies on a node with that much memory, or unknown. */
    public static long impliedRequest(long adj, long nodeMemory) {
        if (!Values.known(adj) || !Values.known(nodeMemory) || adj < 3 || adj > 999) {
            return Values.UNKNOWN;
        }
        return Math.round((1000 - adj) * (double) nodeMemory / 1000);
    }

    /** One phrase for logs: "oom_score_adj 0: not adjusted (not set by Kubernetes)". */
    public static String describe(long adj, long nodeMemory) {
        return "oom_score_adj " + meaning(adj, nodeMemory);
    }

    /** The same without the name, for places that already label it: "0: not adjusted (not set by Kubernetes)". */
    public static String meaning(long adj, long nodeMemory) {
        switch (qosClass(adj)) {
            case UNKNOWN:
                return "unknown";
            case NEVER_KILLED:
                return "-1000: never chosen by the OOM killer";
            case NODE_CRITICAL:
                return "-999: node-critical (kubelet, kube-proxy)";
            case GUARANTEED:
                return "-997: Kubernetes Guaranteed QoS (killed last on node pressure)";
            case BESTEFFORT:
                return "1000: Kubernetes BestEffort QoS (killed first on node pressure)";
            case BURSTABLE:
                return adj + ": Kubernetes Burstable QoS, memory request about "
                        + Units.bytes(impliedRequest(adj, nodeMemory));
            case DEFAULT:
                return "0: not adjusted (not set by Kubernetes)";
            default:
                return adj + (adj < 0 ? ": protected, killed later than others" : ": killed earlier than others");
        }
    }
}
