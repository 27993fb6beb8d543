/**
 * Sample inputs (portraits and speech) that ship with the testkit, made by the project and free to
 * use.
 */
package io.openavathar.testkit.media;
