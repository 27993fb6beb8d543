/**
 * Durable state of a studio: jobs, videos, the pods the SDK started, pending quota tracking,
 * settings. The {@link io.openavathar.store.StudioStore} SPI has an embedded SQLite default (one
 * file in the data directory, safe for two processes at once), an in-memory variant for tests, and
 * PostgreSQL ({@link io.openavathar.store.StudioStore#connect(String)}) for studios in several
 * processes or on several machines sharing one queue; one JDBC implementation serves all three.
 */
package io.openavathar.store;
