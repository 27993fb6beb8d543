/**
 * The self-hostable license server: {@link io.openavathar.license.server.LicenseServer} speaks the
 * original license and quota protocol over a {@link io.openavathar.license.server.LicenseStore}
 * (SQLite by default, or PostgreSQL shared by several servers), with atomic counting and
 * activation, an idempotent signed Gumroad webhook, refunds, device release and rate limits.
 */
package io.openavathar.license.server;
