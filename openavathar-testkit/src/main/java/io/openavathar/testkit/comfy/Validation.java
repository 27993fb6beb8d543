package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of validating a prompt.
 *
 * @param error the top-level {@code error} object, or null when the prompt is accepted
 * @param nodeErrors the {@code node_errors} object (may be non-empty on acceptance)
 * @param outputs the output node ids to execute, in document order
 */
record Validation(ObjectNode error, ObjectNode nodeErrors, List<String> outputs) {

  boolean accepted() {
    return error == null;
  }
}
