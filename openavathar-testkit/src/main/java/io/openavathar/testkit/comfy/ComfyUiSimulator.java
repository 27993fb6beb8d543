package io.openavathar.testkit.comfy;

import io.openavathar.testkit.internal.SharedComfyUi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A ComfyUI server on loopback that behaves like ComfyUI 0.3.64 running the InfiniteTalk workflow,
 * without a GPU: uploads, validation errors, the queue, WebSocket events with per-window sampler
 * progress, history, and {@code /view} downloads of a bundled MP4. Faults are scripted per test;
 * requests and sent events are recorded.
 *
 * <pre>{@code
 * try (ComfyUiSimulator comfy = ComfyUiSimulator.start()) {
 *     URI base = comfy.baseUrl();            // http://127.0.0.1:41234
 *     comfy.failNextRequests("POST", "/upload/image", 503, 2);
 *     // ... point your client at base, run a job ...
 *     assertThat(comfy.uploadCount()).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>Threads: Jetty's pool answers HTTP and WebSocket traffic and one worker thread ({@code
 * comfyui-simulator-worker}) executes prompts; all methods are thread-safe. {@link #close()} stops
 * both, drops sockets and deletes the temporary directories the simulator created (never
 * directories you passed in).
 */
public final class ComfyUiSimulator implements AutoCloseable {

  static {
    SharedComfyUi.register(ComfyUiSimulator::mount);
  }

  private final SimulatorRuntime runtime;
  private final URI baseUrl;

  private ComfyUiSimulator(SimulatorRuntime runtime) {
    this.runtime = runtime;
    this.baseUrl = URI.create("http://127.0.0.1:" + runtime.port() + runtime.settings.pathPrefix());
  }

  /**
   * Returns a builder with the defaults: free port, no prefix, 2 ms per sampler step, temporary
   * directories.
   *
   * @return a new builder; call {@link ComfyUiSimulatorBuilder#start()} to start the simulator
   */
  public static ComfyUiSimulatorBuilder builder() {
    return new ComfyUiSimulatorBuilder();
  }

  /**
   * Starts a simulator with the defaults of {@link #builder()}.
   *
   * @return the running simulator, listening on a free port of 127.0.0.1; close it when done
   */
  public static ComfyUiSimulator start() {
    return builder().start();
  }

  static ComfyUiSimulator start(SimulatorRuntime.Settings settings) {
    try {
      return new ComfyUiSimulator(new SimulatorRuntime(settings));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the ComfyUI simulator: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not start the ComfyUI simulator on port "
              + settings.port()
              + ": "
              + e.getMessage()
              + ". Choose another port, or 0 for a free one.",
          e);
    }
  }

  private static SharedComfyUi.Mounted mount(
      ComfyUiSimulatorBuilder builder, SharedComfyUi.Host host) {
    try {
      SimulatorRuntime runtime = new SimulatorRuntime(builder.settings(), host);
      return new SharedComfyUi.Mounted(new ComfyUiSimulator(runtime), runtime.handler());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the ComfyUI simulator: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not mount a ComfyUI simulator on port " + host.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The base URL including the path prefix, without a trailing slash ({@code
   * http://127.0.0.1:41234/prefix}).
   *
   * @return the base URL, for example {@code http://127.0.0.1:41234/prefix}
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The WebSocket URL for a client id: {@code ws://127.0.0.1:<port><prefix>/ws?clientId=<id>}.
   *
   * @param clientId the client id to put in the query, as a ComfyUI client sends it
   * @return the WebSocket URL for that client
   */
  public URI webSocketUrl(String clientId) {
    return URI.create(
        "ws://127.0.0.1:"
            + port()
            + runtime.settings.pathPrefix()
            + "/ws?clientId="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
  }

  /**
   * The GPU this simulator reports and whose speed its history timestamps follow.
   *
   * @return the simulated GPU, never null
   */
  public SimulatedGpu gpu() {
    return runtime.settings.gpu();
  }

  /**
   * The port the simulator listens on.
   *
   * @return the bound port, never 0
   */
  public int port() {
    return runtime.port();
  }

  /**
   * The input directory, where uploads land and LoadImage/LoadAudio look.
   *
   * @return the input directory
   */
  public Path inputDirectory() {
    return runtime.directories.input();
  }

  /**
   * The output directory, where output videos are written.
   *
   * @return the output directory
   */
  public Path outputDirectory() {
    return runtime.directories.output();
  }

  // ---- scripted faults
  // -------------------------------------------------------------------------------------

  /**
   * Makes the next {@code POST /prompt} fail validation with HTTP 400 {@code
   * prompt_outputs_failed_validation}, listing this error under {@code node_errors[nodeId]} with
   * its {@code dependent_outputs}.
   *
   * @param classType the class to report when the node is not in the prompt
   * @param errorType for example {@code "value_not_in_list"}
   * @param details for example {@code "model: 'x.safetensors' not in (list of length 27)"}; the
   *     text before the first colon becomes {@code extra_info.input_name}
   * @param nodeId the id of the node to blame, as in the prompt's graph
   * @param message the error's {@code message}, for example {@code "Value not in list"}
   */
  public void rejectNextPrompt(
      String nodeId, String classType, String errorType, String message, String details) {
    runtime.faults.scriptNodeError(
        new ScriptedNodeError(nodeId, classType, errorType, message, details, true));
  }

  /**
   * Makes the next {@code POST /prompt} report this node error while still answering 200 when some
   * output does not depend on the node: the dependent outputs are dropped and only the others run
   * (ComfyUI's partial acceptance). When every output depends on the node the answer is a 400, as
   * on the real server.
   *
   * @param nodeId the id of the node to blame, as in the prompt's graph
   * @param classType the class to report when the node is not in the prompt
   * @param errorType for example {@code "value_not_in_list"}
   * @param message the error's {@code message}
   * @param details the error's {@code details}; the text before the first colon becomes {@code
   *     extra_info.input_name}
   */
  public void acceptNextPromptWithNodeErrors(
      String nodeId, String classType, String errorType, String message, String details) {
    runtime.faults.scriptNodeError(
        new ScriptedNodeError(nodeId, classType, errorType, message, details, false));
  }

  /**
   * Makes the next execution of node {@code nodeId} raise: the owner gets {@code execution_error}
   * and history records {@code status_str: "error"}.
   *
   * @param exceptionType for example {@code "torch.OutOfMemoryError"}
   * @param nodeId the id of the node that raises, as in the prompt's graph
   * @param exceptionMessage the {@code exception_message} the error reports
   */
  public void failNextExecution(String nodeId, String exceptionType, String exceptionMessage) {
    runtime.faults.failExecution(
        new Faults.ExecutionFailure(nodeId, exceptionType, exceptionMessage));
  }

  /**
   * Answers the next {@code count} requests to {@code method path} with {@code status} and an empty
   * body.
   *
   * @param path a route such as {@code "/upload/image"}, matched with or without {@code /api} and
   *     below the prefix
   * @param method the HTTP method, for example {@code "POST"}
   * @param status the HTTP status to answer with, for example 500
   * @param count how many requests to fail; later ones are served normally
   */
  public void failNextRequests(String method, String path, int status, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    runtime.faults.failRequests(method, path, status, count);
  }

  /**
   * Runs {@code action} once, for the next {@code method path} request, after its answer was
   * decided and before it is sent, on the thread serving it: the server's state changes just after
   * it answered. For a race a test must make happen at one exact moment, such as a prompt finishing
   * between a client's two lookups.
   *
   * <pre>{@code
   * sim.afterNextAnswer("GET", "/history/" + promptId, () -> { sim.resumeExecution(); waitUntilFinished(promptId); });
   * }</pre>
   *
   * @param path a route such as {@code "/queue"}, matched with or without {@code /api} and below
   *     the prefix
   * @param method the HTTP method, for example {@code "GET"}
   * @param action what to run; an exception it throws fails that request
   */
  public void afterNextAnswer(String method, String path, Runnable action) {
    runtime.faults.afterNextAnswer(
        Objects.requireNonNull(method, "method"),
        Objects.requireNonNull(path, "path"),
        Objects.requireNonNull(action, "action"));
  }

  /**
   * Delays every HTTP answer by {@code delay} from now on; {@link Duration#ZERO} switches it off.
   *
   * @param delay the delay before every answer; not negative
   */
  public void delayResponses(Duration delay) {
    runtime.faults.setResponseDelay(Objects.requireNonNull(delay, "delay"));
  }

  /**
   * Closes every WebSocket abruptly (no close frame) after {@code events} more text frames were
   * sent in total.
   *
   * @param events the number of further text frames to send before the sockets are closed
   */
  public void dropWebSocketsAfter(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must not be negative, was " + events);
    }
    runtime.hub.dropAfter(events);
  }

  /** Closes every WebSocket abruptly now, without a close frame. Clients may reconnect. */
  public void dropWebSocketsNow() {
    runtime.hub.dropNow();
  }

  /**
   * While true, sockets stay open but receive nothing, as in ComfyUI issue #16010.
   *
   * @param silent true to stop sending frames, false to send them again
   */
  public void silenceWebSockets(boolean silent) {
    runtime.hub.setSilenced(silent);
  }

  /**
   * Cuts the connection after {@code bytes} body bytes of the next {@code /view} download that
   * finds its file.
   *
   * @param bytes the number of body bytes to send before the connection is cut
   */
  public void breakNextDownloadAfter(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
    runtime.faults.breakNextDownloadAfter(bytes);
  }

  /**
   * Holds the worker before it starts the next prompt (a running prompt finishes); prompts stay
   * pending.
   */
  public void pauseExecution() {
    runtime.queue.setPaused(true);
  }

  /**
   * Holds the next prompt that executes {@code nodeId} inside that node (after its {@code
   * executing} event) until {@link NodeHold#release()}: a slow node on cue, to act while a prompt
   * is running. {@link #close()} releases it.
   *
   * @param nodeId the id of the node to hold in, as in the prompt's graph
   * @return the hold, to wait until a prompt reaches the node and to release it
   */
  public NodeHold holdNode(String nodeId) {
    return runtime.queue.hold(Objects.requireNonNull(nodeId, "nodeId"));
  }

  /** Lets the worker take prompts again after {@link #pauseExecution()}. */
  public void resumeExecution() {
    runtime.queue.setPaused(false);
  }

  /**
   * Simulates a server restart: the queue, the running prompt, history and the node cache are lost,
   * every socket is dropped and the queue counter restarts at 0. Uploaded inputs and outputs stay
   * on disk.
   */
  public void restart() {
    try {
      runtime.restart();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not clear the simulator's temp directory", e);
    }
  }

  /**
   * Sends a binary preview frame (type 1, or 4 after feature negotiation) with each sampler step.
   *
   * @param enabled true to send preview frames, false (the default) to send none
   */
  public void sendBinaryPreviews(boolean enabled) {
    runtime.previews.set(enabled);
  }

  // ---- inspection
  // ------------------------------------------------------------------------------------------

  /**
   * Every request received so far, oldest first.
   *
   * @return an immutable snapshot of the requests
   */
  public List<RecordedRequest> requests() {
    return runtime.requestLog.all();
  }

  /**
   * Returns the oldest request not yet taken, waiting up to {@code timeout} for one.
   *
   * @param timeout how long to wait at most
   * @return the request
   * @throws IllegalStateException when no request arrives in time
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    RecordedRequest request = runtime.requestLog.take(timeout);
    if (request == null) {
      throw new IllegalStateException("No request reached the simulator within " + timeout);
    }
    return request;
  }

  /**
   * The ids of prompts accepted by {@code POST /prompt}, in order (duplicates included).
   *
   * @return an immutable snapshot of the prompt ids
   */
  public List<String> promptIdsSeen() {
    return runtime.prompts.promptIdsSeen();
  }

  /**
   * The number of successful {@code POST /upload/image} calls, duplicates included.
   *
   * @return the number of uploads
   */
  public int uploadCount() {
    return runtime.uploads.uploadCount();
  }

  /**
   * The latest WebSocket frames sent (up to 10000), oldest first.
   *
   * @return an immutable snapshot of the frames
   */
  public List<SentEvent> sentEvents() {
    return runtime.hub.sentEvents();
  }

  /**
   * Calls {@code listener} for every frame sent, on the sending thread (the worker or a Jetty
   * thread), just before the frame is handed to the socket, in the order frames reach that socket.
   * Keep it fast: while it runs, the sender waits (so the worker does not write history while a
   * listener for {@code execution_success} runs). An exception is logged and ignored.
   *
   * @param listener the listener to add; listeners are called in the order they were added
   */
  public void onEventSent(Consumer<SentEvent> listener) {
    runtime.hub.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The number of WebSocket connections currently registered.
   *
   * @return the number of open sockets
   */
  public int connectedWebSockets() {
    return runtime.hub.connectedCount();
  }

  /**
   * The class names that count as installed unless the builder is given others.
   *
   * @return the default installed classes, immutable
   */
  public static Set<String> defaultNodeClasses() {
    return NodeClasses.DEFAULT_INSTALLED;
  }

  /**
   * The core classes of a stock ComfyUI that the simulator knows; see {@link
   * ComfyUiSimulatorBuilder#stockServer()}.
   *
   * @return the core classes, immutable
   */
  public static Set<String> coreNodeClasses() {
    return InputSpecs.CORE_CLASSES;
  }

  /**
   * From now on only these node classes count as installed, for validation and {@code
   * /object_info}: as if node packs were added or removed and ComfyUI restarted, except that queue
   * and history are kept.
   *
   * @param classes the class names of the installed nodes
   */
  public void setInstalledNodeClasses(Collection<String> classes) {
    runtime.catalog.replaceInstalled(List.copyOf(classes));
  }

  /**
   * Stops the server and worker, drops sockets and deletes the simulator's own temporary
   * directories.
   */
  @Override
  public void close() {
    runtime.close();
  }

  @Override
  public String toString() {
    return "ComfyUiSimulator[" + baseUrl + "]";
  }

  /**
   * Runs a simulator until the process is killed and prints its base URL. Options: {@code --port N}
   * (default 8188), {@code --host H} (default 127.0.0.1), {@code --prefix /p}, {@code
   * --step-delay-ms N} (default 2000, roughly a real GPU's pace), {@code --max-upload-mib N}
   * (default 100), {@code --input-dir D}, {@code --output-dir D} (default: temporary directories).
   *
   * @param args the command line options
   * @throws InterruptedException if the main thread is interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    ComfyUiSimulatorBuilder builder = builder().port(8188).stepDelay(Duration.ofSeconds(2));
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(args[i + 1]));
        case "--host" -> builder.host(args[i + 1]);
        case "--prefix" -> builder.pathPrefix(args[i + 1]);
        case "--step-delay-ms" -> builder.stepDelay(Duration.ofMillis(Long.parseLong(args[i + 1])));
        case "--max-upload-mib" -> builder.maxUploadSize(Long.parseLong(args[i + 1]) * 1024 * 1024);
        case "--input-dir" -> builder.inputDirectory(java.nio.file.Path.of(args[i + 1]));
        case "--output-dir" -> builder.outputDirectory(java.nio.file.Path.of(args[i + 1]));
        default ->
            throw new IllegalArgumentException(
                "Unknown option "
                    + args[i]
                    + "; use --port, --host, --prefix, --step-delay-ms, --max-upload-mib, --input-dir"
                    + " or --output-dir");
      }
    }
    ComfyUiSimulator simulator = builder.start();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(simulator::close, "comfyui-simulator-shutdown"));
    System.out.println(simulator.baseUrl());
    Thread.currentThread().join();
  }
}
