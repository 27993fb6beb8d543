/**
 * A typed client of one ComfyUI server: uploads, prompts, history, queue, downloads, interrupts and
 * the WebSocket event stream, as described in the project's ComfyUI reference. Everything here is
 * non-null unless a method says otherwise; absent values are {@link java.util.Optional}.
 */
package io.openavathar.comfy;
