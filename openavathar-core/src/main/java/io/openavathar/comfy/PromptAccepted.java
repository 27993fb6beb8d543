package io.openavathar.comfy;

/**
 * The server's answer to an accepted {@code POST /prompt}.
 *
 * @param promptId the prompt id (the one the client chose)
 * @param number the queue number the server assigned
 */
public record PromptAccepted(String promptId, double number) {}
