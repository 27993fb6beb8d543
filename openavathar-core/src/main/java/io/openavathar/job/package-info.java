/**
 * The studio's durable job queue: list, inspect, cancel and retry jobs, including those of earlier
 * runs.
 */
package io.openavathar.job;
