/**
 * The job engine behind {@link io.openavathar.AvatarStudio}: input checks, the job state machine,
 * pod choice and the ComfyUI backend. Internal: no compatibility promise.
 *
 * <p>Threads: no thread per job. Work runs on OkHttp's callback threads and on the studio's one
 * scheduler thread; a job waiting for ComfyUI holds no thread at all.
 */
package io.openavathar.internal.job;
