/**
 * Reads image and audio files before anything is uploaded: format, dimensions, duration, size. Bad
 * input fails here with an {@link io.openavathar.InvalidInputException} that names the file and
 * what is wrong. Start with {@link io.openavathar.media.MediaProbe}. Everything here is non-null
 * unless a method says otherwise.
 */
package io.openavathar.media;
