/**
 * The RunPod pod provider (REST API v2). Filled in by the RunPod issue.
 */
package io.openavathar.runpod;
