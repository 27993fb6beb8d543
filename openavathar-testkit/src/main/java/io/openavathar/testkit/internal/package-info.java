/**
 * Implementation details of the testkit that must be public for technical reasons. No compatibility
 * promise: do not use these types.
 */
package io.openavathar.testkit.internal;
