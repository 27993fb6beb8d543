package io.openavathar.testkit.comfy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single execution thread: takes the lowest-numbered prompt and runs it, like ComfyUI's prompt
 * worker.
 */
final class Worker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final RunContext ctx;

  Worker(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    while (true) {
      PromptQueue.Started started;
      try {
        started = ctx.queue().awaitNext();
      } catch (InterruptedException closed) {
        return;
      }
      ctx.hub().broadcastStatus(); // PromptQueue.get() calls queue_updated()
      try {
        new PromptRun(ctx, started).run();
      } catch (InterruptedException closed) {
        return;
      } catch (RuntimeException e) {
        LOG.warn(
            "The simulator failed while running prompt {}; its history entry is missing",
            started.item().promptId(),
            e);
        ctx.queue().abandon(started);
      }
    }
  }
}
