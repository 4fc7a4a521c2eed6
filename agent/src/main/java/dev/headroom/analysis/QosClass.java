package dev.headroom.analysis;

/**
 * What an {@code oom_score_adj} value says about the process: the kubelet sets it by the pod's
 * Kubernetes QoS class (see ARCHITECTURE.md, "Kernel semantics we follow"); other values mean
 * someone else adjusted it, or nobody did.
 */
public enum QosClass {
    /** -1000: the OOM killer never picks it. */
    NEVER_KILLED("never-killed"),
    /** -999: node-critical (kubelet, kube-proxy). */
    NODE_CRITICAL("node-critical"),
    /** -997: Kubernetes Guaranteed. */
    GUARANTEED("guaranteed"),
    /** 1000: Kubernetes BestEffort. */
    BESTEFFORT("besteffort"),
    /** 3..999: Kubernetes Burstable; the value implies the memory request. */
    BURSTABLE("burstable"),
    /** 0: not adjusted. */
    DEFAULT("default"),
    /** Any other value: adjusted by something other than the kubelet. */
    ADJUSTED("adjusted"),
    /** oom_score_adj could not be read. */
    UNKNOWN("unknown");

    private final String text;

    QosClass(String text) {
        this.text = text;
    }

    /** The short name published over JMX: "guaranteed", "burstable", ... */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
