/**
 * The HTTP license/quota client. Filled in by the license issue.
 */
package io.openavathar.license.client;
