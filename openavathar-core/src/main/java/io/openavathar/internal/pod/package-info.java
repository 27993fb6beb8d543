/**
 * The studio's pods behind {@link io.openavathar.pod.PodManager}: the facade {@code
 * DefaultPodManager} over placement of jobs on pods ({@code PodPlacement} with {@code PodProbes},
 * its books {@code PodSlots} and {@code Lease}s), the pods' lifecycle and readiness ({@code
 * PodLifecycle}), the ComfyUI connection per pod ({@code PodConnections}), idle stop ({@code
 * IdleReaper}) and boot times. Internal: no compatibility promise.
 */
package io.openavathar.internal.pod;
