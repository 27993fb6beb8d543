/**
 * A real PostgreSQL for tests: {@link io.openavathar.testkit.postgres.PostgresServer} runs a
 * private cluster from the machine's PostgreSQL binaries, {@link
 * io.openavathar.testkit.postgres.PostgresDatabase} is one database on it, and {@link
 * io.openavathar.testkit.postgres.PostgresExtension} hands each test class its own database. Needs
 * the PostgreSQL JDBC driver on the test class path (an optional dependency of the testkit).
 */
package io.openavathar.testkit.postgres;
