package dev.headroom.runtime;

import dev.headroom.analysis.Assessment;

/** A sink told about every assessment, on the sampler thread. It must be quick and must not block. */
public interface AssessmentListener {

    void onAssessment(Assessment assessment);
}
