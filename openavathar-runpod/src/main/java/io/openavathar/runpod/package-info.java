/**
 * The RunPod pod provider: {@link io.openavathar.runpod.RunPodPodProvider} rents GPU pods on the
 * user's RunPod account through RunPod's REST API v2, and {@link io.openavathar.runpod.ApiKey}
 * holds the key without ever printing it. Everything else in this package is package-private
 * machinery (HTTP exchanges and error mapping, JSON mapping, create with fallback and
 * reconciliation, the Server-Sent Events log stream).
 *
 * <p>Arguments and return values are non-null unless a method says otherwise.
 */
package io.openavathar.runpod;
