/**
 * The video gallery: {@link io.openavathar.gallery.Gallery} lists the videos a studio finished,
 * opens or downloads them again from their pod when the local file is gone, deletes them, and
 * imports videos a pod's ComfyUI made without this SDK. Values are non-null unless a method says
 * otherwise.
 */
package io.openavathar.gallery;
