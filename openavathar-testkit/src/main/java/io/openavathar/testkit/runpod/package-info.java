/**
 * A RunPod REST API v2 simulator for tests: pods with a realistic lifecycle, lifecycle actions,
 * validation, the GPU catalog, network volumes, pod logs over Server-Sent Events, scripted faults,
 * and RunPod's HTTP proxy in front of a real ComfyUI simulator per running pod.
 *
 * <p>Start with {@link io.openavathar.testkit.runpod.RunPodSimulator}. All parameters and return
 * values are non-null unless a method says otherwise.
 */
package io.openavathar.testkit.runpod;
