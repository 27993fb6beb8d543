/**
 * ComfyUI workflows as templates: an API-format graph plus named bindings of the inputs the SDK
 * sets (image, audio, prompt, size, frames, seed, ...). {@link
 * io.openavathar.workflow.InfiniteTalkWorkflow} is the bundled default; {@link
 * io.openavathar.workflow.WorkflowTemplate#load} reads your own.
 */
package io.openavathar.workflow;
