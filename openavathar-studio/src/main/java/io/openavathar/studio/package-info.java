/**
 * OpenAvathar Studio, the consumer web app: {@link io.openavathar.studio.StudioServer} serves the
 * pages and a small JSON API on 127.0.0.1 over the SDK's public API; {@link
 * io.openavathar.studio.Backends} says where RunPod, the license server and the checkout page are,
 * and {@link io.openavathar.studio.DemoBackends} starts simulated ones. Everything else in this
 * package is package-private machinery (the security guard, the API handlers, live events,
 * settings, uploads).
 *
 * <p>Arguments and return values are non-null unless a method says otherwise.
 */
package io.openavathar.studio;
