/**
 * Reads image and audio files before anything is uploaded: format, dimensions, duration, size. Bad input fails here
 * with an {@link io.openavathar.InvalidInputException} that names the file and what is wrong.
 */
package io.openavathar.media;
