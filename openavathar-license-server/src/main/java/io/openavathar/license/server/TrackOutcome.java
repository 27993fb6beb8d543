package io.openavathar.license.server;

/**
 * What counting one tracked video did.
 *
 * @param counted whether this call counted it (false: its request id was counted before)
 * @param count the device's free generations on the UTC day asked about, after this call
 */
public record TrackOutcome(boolean counted, int count) {}
