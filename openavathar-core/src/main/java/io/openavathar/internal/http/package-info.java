/**
 * The one HTTP core under the SDK's remote clients (ComfyUI, RunPod, the license server): routes
 * below a base URL, the async exchange over OkHttp, retries, calls in flight and close. Each client
 * supplies an {@link io.openavathar.internal.http.ErrorMapper} that words its failures. Public only
 * for the Java compiler's sake: no compatibility promise, do not use from application code.
 */
package io.openavathar.internal.http;
