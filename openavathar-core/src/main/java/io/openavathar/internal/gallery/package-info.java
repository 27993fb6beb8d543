/**
 * The studio's {@link io.openavathar.gallery.Gallery}: videos in the store, their files, downloads
 * again from pods and imports from a pod's history. Internal: no compatibility promise.
 */
package io.openavathar.internal.gallery;
