/**
 * JUnit 5 support for the testkit: {@link io.openavathar.testkit.junit5.ComfyUiSimulatorExtension}
 * starts a fresh ComfyUI simulator for each test, {@link
 * io.openavathar.testkit.junit5.RunPodSimulatorExtension} a fresh RunPod simulator. Needs {@code
 * junit-jupiter-api} on the test class path (an optional dependency of the testkit).
 */
package io.openavathar.testkit.junit5;
