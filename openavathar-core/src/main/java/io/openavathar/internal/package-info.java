/**
 * Machinery shared by the SDK's packages. Public only for the Java compiler's sake: no
 * compatibility promise, do not use from application code.
 */
package io.openavathar.internal;
