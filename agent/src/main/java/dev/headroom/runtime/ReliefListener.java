package dev.headroom.runtime;

/** A sink told about every relief event, on the sampler thread. It must be quick and must not block. */
public interface ReliefListener {

    void onRelief(Relief relief);
}
