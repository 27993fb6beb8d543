package io.openavathar.testkit.comfy;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What a prompt run needs from the simulator: shared state, event sending, faults, files and
 * timing.
 */
record RunContext(
    PromptQueue queue,
    EventHub hub,
    Faults faults,
    OutputFiles files,
    Directories directories,
    OutputCache cache,
    Duration stepDelay,
    Duration historyDelay,
    BooleanSupplier previews,
    byte[] previewJpeg,
    SpeedModel speed) {}
