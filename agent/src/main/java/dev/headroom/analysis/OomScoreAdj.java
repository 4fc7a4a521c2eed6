package dev.headroom.analysis;

import dev.headroom.parse.Values;
import dev.headroom.text.Units;

/**
 * What {@code /proc/self/oom_score_adj} says about this process, REFERENCE.md section 3: the
 * kubelet sets it by QoS class (Guaranteed −997, BestEffort 1000, Burstable
 * {@code 1000 − 1000·request/nodeCapacity} clamped to [3, 999]), so it reveals the class and, for
 * Burstable, an estimate of the pod's memory request.
 */
public final class OomScoreAdj {

    private OomScoreAdj() {
    }

    /** A short class name: "never-killed", "node-critical", "guaranteed", "besteffort", "burstable", "default", "adjusted", "unknown". */
    public static String qosClass(long adj) {
        if (!Values.known(adj)) {
            return "unknown";
        }
        if (adj == -1000) {
            return "never-killed";
        }
        if (adj == -999) {
            return "node-critical";
        }
        if (adj == -997) {
            return "guaranteed";
        }
        if (adj == 1000) {
            return "besteffort";
        }
        if (adj >= 3 && adj <= 999) {
            return "burstable";
        }
        return adj == 0 ? "default" : "adjusted";
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
            case "unknown":
                return "unknown";
            case "never-killed":
                return "-1000: never chosen by the OOM killer";
            case "node-critical":
                return "-999: node-critical (kubelet, kube-proxy)";
            case "guaranteed":
                return "-997: Kubernetes Guaranteed QoS (killed last on node pressure)";
            case "besteffort":
                return "1000: Kubernetes BestEffort QoS (killed first on node pressure)";
            case "burstable":
                return adj + ": Kubernetes Burstable QoS, memory request about " + Units.bytes(impliedRequest(adj, nodeMemory));
            case "default":
                return "0: not adjusted (not set by Kubernetes)";
            default:
                return adj + (adj < 0 ? ": protected, killed later than others" : ": killed earlier than others");
        }
    }
}
