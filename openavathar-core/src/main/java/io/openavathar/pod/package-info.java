/**
 * Where ComfyUI runs: the {@link io.openavathar.pod.PodProvider} SPI and its simplest
 * implementation, {@link io.openavathar.pod.StaticPodProvider} (fixed ComfyUI URLs: bring your own
 * server).
 */
package io.openavathar.pod;
