/**
 * A protocol-faithful ComfyUI server simulator for tests: HTTP routes, WebSocket events, queue,
 * history and downloads behave like ComfyUI 0.3.64 running the InfiniteTalk workflow, without a
 * GPU.
 *
 * <p>Start with {@link io.openavathar.testkit.comfy.ComfyUiSimulator}. All parameters and return
 * values are non-null unless a method says otherwise.
 */
package io.openavathar.testkit.comfy;
