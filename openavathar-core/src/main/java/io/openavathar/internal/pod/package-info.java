/**
 * The studio's pods behind {@link io.openavathar.pod.PodManager}: placement of jobs on pods (slots,
 * leases, waiting jobs), readiness, idle stop, boot times and the ComfyUI connection per pod.
 * Internal: no compatibility promise.
 */
package io.openavathar.internal.pod;
