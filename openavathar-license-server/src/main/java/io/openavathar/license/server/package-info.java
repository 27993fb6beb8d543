/**
 * The self-hostable license server. Filled in by the license issue.
 */
package io.openavathar.license.server;
