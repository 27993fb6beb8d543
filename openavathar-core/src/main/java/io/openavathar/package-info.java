/**
 * The OpenAvathar SDK: {@link io.openavathar.AvatarStudio} turns one portrait image and one speech
 * recording into a lip-synced talking-avatar MP4. Values are immutable and non-null unless a method
 * says otherwise; absent values are {@link java.util.Optional}. Every exception is an {@link
 * io.openavathar.OpenAvatharException}.
 */
package io.openavathar;
