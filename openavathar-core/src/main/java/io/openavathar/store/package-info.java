/**
 * Durable state of a studio: jobs, videos, the pods the SDK started, pending quota tracking,
 * settings. The {@link io.openavathar.store.StudioStore} SPI has an embedded SQLite default (one
 * file in the data directory, safe for two processes at once) and an in-memory variant for tests; a
 * shared SQL database can replace it.
 */
package io.openavathar.store;
