package io.openavathar.testkit.comfy;

/**
 * A validation error a test asked for on the next prompt.
 *
 * @param reject true to force a 400, false to accept with the error listed and the dependent
 *     outputs dropped
 */
record ScriptedNodeError(
    String nodeId, String classType, String type, String message, String details, boolean reject) {}
