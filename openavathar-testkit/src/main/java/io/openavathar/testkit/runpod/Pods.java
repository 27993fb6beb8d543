package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import io.openavathar.testkit.comfy.SimulatedGpu;
import io.openavathar.testkit.internal.SharedComfyUi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods and their lifecycle: PROVISIONING, STARTING, RUNNING (runtime up, then ComfyUI ready),
 * EXITED, ERROR, and gone when terminated. One lock guards every pod; ComfyUI simulators are closed
 * after it is released. Thread-safe.
 */
final class Pods {

  private static final Logger LOG = LoggerFactory.getLogger(Pods.class);
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * Where a proxied request goes: nowhere (unknown pod), a 502 (nothing answers), or a ComfyUI
   * handler.
   */
  record ProxyTarget(boolean podExists, Handler handler) {}

  private enum Step {
    STARTING,
    RUNNING,
    CONTAINER_UP,
    COMFY_READY
  }

  private final RunPodSettings settings;
  private final Timeline timeline;
  private final SharedComfyUi.Host host;
  private final Random random;
  private final Map<String, PodState> pods = new LinkedHashMap<>();
  private final List<ComfyUiSimulator> retiring = new ArrayList<>();
  private int created;
  private boolean closed;

  Pods(RunPodSettings settings, Timeline timeline, SharedComfyUi.Host host) {
    this.settings = settings;
    this.timeline = timeline;
    this.host = host;
    this.random = new Random(settings.seed());
  }

  /** Runs {@code action} under the lock, then closes the ComfyUI simulators it retired. */
  private <T> T locked(Supplier<T> action) {
    T result;
    List<ComfyUiSimulator> closing;
    synchronized (this) {
      result = action.get();
      closing = List.copyOf(retiring);
      retiring.clear();
    }
    for (ComfyUiSimulator comfy : closing) {
      comfy.close();
    }
    return result;
  }

  ObjectNode create(PodState.Spec spec) {
    return locked(
        () -> {
          String id;
          do {
            id = randomString(ID_ALPHABET, 14);
          } while (pods.containsKey(id));
          PodState pod =
              new PodState(
                  id,
                  spec,
                  randomString("0123456789abcdef", 8),
                  "203.0.113." + (1 + random.nextInt(254)),
                  "100.65." + random.nextInt(256) + "." + (1 + random.nextInt(254)),
                  timeline.now());
          pods.put(id, pod);
          created++;
          system(
              pod,
              "create pod "
                  + id
                  + ": "
                  + spec.gpuCount()
                  + " x "
                  + spec.gpuTypeId()
                  + " in "
                  + spec.dataCenterId()
                  + " ("
                  + spec.cloud()
                  + ")");
          system(pod, "Pulling image " + spec.image());
          schedule(pod, settings.provisioningDelay(), Step.STARTING);
          LOG.debug("Created pod [id={}, gpu={}, cloud={}]", id, spec.gpuTypeId(), spec.cloud());
          return PodJson.render(pod, timeline.now());
        });
  }

  ArrayNode list() {
    return locked(
        () -> {
          ArrayNode list = Json.array();
          pods.values().forEach(pod -> list.add(PodJson.render(pod, timeline.now())));
          return list;
        });
  }

  /** The pod's JSON, or null when there is no such pod. */
  ObjectNode get(String id) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          return pod == null ? null : PodJson.render(pod, timeline.now());
        });
  }

  /**
   * Applies a valid action name: 404 for an unknown pod, 409 when illegal now, else 200 + pod or
   * 204.
   */
  ApiReply action(String id, String action) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          if (pod == null) {
            return ApiReply.problem(404, "pod not found");
          }
          if (!pod.actions().contains(action)) {
            return ApiReply.problem(
                409,
                "action '"
                    + action
                    + "' is not valid for a pod in status "
                    + pod.status
                    + "; valid actions: "
                    + String.join(", ", pod.actions()));
          }
          switch (action) {
            case "stop" -> {
              system(pod, "stop container: begin");
              shutDown(pod);
              pod.status = PodState.EXITED;
              system(pod, "stop container: done");
            }
            case "start" -> enterStarting(pod);
            case "restart" -> {
              system(pod, "restart container");
              shutDown(pod);
              enterStarting(pod);
            }
            default -> {
              remove(pod);
              return ApiReply.empty(204);
            }
          }
          LOG.debug("Applied pod action [id={}, action={}, status={}]", id, action, pod.status);
          return ApiReply.json(200, PodJson.render(pod, timeline.now()));
        });
  }

  /** Terminates the pod; false when there is no such pod. */
  boolean terminate(String id) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          if (pod != null) {
            remove(pod);
          }
          return pod != null;
        });
  }

  /** Puts the pod in ERROR; false when there is no such pod. */
  boolean fail(String id) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          if (pod == null) {
            return false;
          }
          container(pod, "RuntimeError: CUDA error: an illegal memory access was encountered");
          shutDown(pod);
          pod.status = PodState.ERROR;
          system(pod, "container exited with code 1");
          return true;
        });
  }

  /** Stops the pod's ComfyUI until its next start or restart; false when there is no such pod. */
  boolean killComfy(String id) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          if (pod == null) {
            return false;
          }
          pod.comfyKilled = true;
          if (pod.comfy != null) {
            retiring.add(pod.comfy.simulator());
            pod.comfy = null;
            pod.comfyReady = false;
            container(pod, "Killed");
          }
          return true;
        });
  }

  ProxyTarget proxy(String id, int port) {
    return locked(
        () -> {
          PodState pod = pods.get(id);
          if (pod == null) {
            return new ProxyTarget(false, null);
          }
          boolean serving =
              pod.runtimeUp()
                  && pod.comfyReady
                  && pod.comfy != null
                  && port == PodState.COMFY_PORT
                  && pod.httpPorts().contains(port);
          return new ProxyTarget(true, serving ? pod.comfy.handler() : null);
        });
  }

  Optional<PodLog> log(String id) {
    return locked(() -> Optional.ofNullable(pods.get(id)).map(pod -> pod.log));
  }

  List<SimulatedPod> snapshots() {
    return locked(() -> pods.values().stream().map(PodState::snapshot).toList());
  }

  Optional<SimulatedPod> snapshot(String id) {
    return locked(() -> Optional.ofNullable(pods.get(id)).map(PodState::snapshot));
  }

  Optional<ComfyUiSimulator> comfyOf(String id) {
    return locked(
        () ->
            Optional.ofNullable(pods.get(id))
                .map(pod -> pod.comfy)
                .map(SharedComfyUi.Mounted::simulator));
  }

  Optional<Instant> readyAt(String id) {
    return locked(() -> Optional.ofNullable(pods.get(id)).flatMap(PodState::readyAt));
  }

  boolean exists(String id) {
    return locked(() -> pods.containsKey(id));
  }

  int created() {
    return locked(() -> created);
  }

  /** Closes every pod's ComfyUI and ends every log stream. */
  void close() {
    locked(
        () -> {
          closed = true;
          for (PodState pod : pods.values()) {
            shutDown(pod);
            pod.log.end();
          }
          return null;
        });
  }

  // ---- lifecycle, under the lock
  // ----------------------------------------------------------------------------

  private void schedule(PodState pod, Duration delay, Step step) {
    String id = pod.id;
    int generation = pod.generation;
    timeline.schedule(
        delay,
        () ->
            locked(
                () -> {
                  step(id, generation, step);
                  return null;
                }));
  }

  private void step(String id, int generation, Step step) {
    PodState pod = pods.get(id);
    if (closed || pod == null || pod.generation != generation) {
      return; // stopped, restarted or terminated since this step was scheduled
    }
    switch (step) {
      case STARTING -> enterStarting(pod);
      case RUNNING -> {
        pod.status = PodState.RUNNING;
        pod.startedAt = timeline.now();
        system(pod, "start container for " + pod.spec.image() + ": done");
        schedule(pod, settings.runtimeDelay(), Step.CONTAINER_UP);
      }
      case CONTAINER_UP -> containerUp(pod);
      case COMFY_READY -> {
        pod.comfyReady = true;
        pod.readyAt = timeline.now();
        container(pod, "To see the GUI go to: http://0.0.0.0:" + PodState.COMFY_PORT);
        LOG.debug("Pod's ComfyUI is ready [id={}]", pod.id);
      }
    }
  }

  private void enterStarting(PodState pod) {
    pod.generation++;
    pod.status = PodState.STARTING;
    pod.comfyKilled = false;
    if (!pod.imagePulled) {
      pod.imagePulled = true;
      system(pod, "Status: Downloaded newer image for " + pod.spec.image());
    }
    system(pod, "start container for " + pod.spec.image() + ": begin");
    schedule(pod, settings.startingDelay(), Step.RUNNING);
  }

  private void containerUp(PodState pod) {
    pod.containerUp = true;
    pod.containerUpAt = timeline.now();
    for (int port : pod.tcpPorts()) {
      pod.publicTcpPorts.put(port, 10_000 + random.nextInt(50_000));
    }
    if (pod.comfyKilled) {
      return;
    }
    container(pod, "ComfyUI starting");
    SimulatedGpuType type = settings.gpuType(pod.spec.gpuTypeId());
    int vram = type == null ? 24_564 : type.memoryGb() * 1024 - 12;
    container(pod, "Total VRAM " + vram + " MB, total RAM 257587 MB");
    container(pod, "Device: cuda:0 " + pod.spec.gpuTypeId() + " : cudaMallocAsync");
    try {
      ComfyUiSimulatorBuilder builder =
          ComfyUiSimulator.builder()
              .stepDelay(settings.comfyStepDelay())
              .gpu(
                  type != null
                      ? type.simulatedGpu()
                      : SimulatedGpu.of(
                          pod.spec.gpuTypeId(), SimulatedGpuType.DEFAULT_OVERHEAD_SECONDS, 1.6))
              .seed(settings.seed() * 31 + pod.id.hashCode());
      settings.comfyConfiguration().accept(builder);
      builder.pathPrefix("/proxy/" + pod.id + "-" + PodState.COMFY_PORT);
      pod.comfy = SharedComfyUi.mount(builder, host);
    } catch (RuntimeException e) {
      LOG.warn("Could not start the ComfyUI simulator of pod {}; the pod goes to ERROR", pod.id, e);
      shutDown(pod);
      pod.status = PodState.ERROR;
      container(pod, "ComfyUI failed to start: " + e.getMessage());
      return;
    }
    container(pod, "Starting server");
    schedule(pod, settings.comfyReadyDelay(), Step.COMFY_READY);
  }

  /**
   * Stops the container: no runtime, no ComfyUI, pending steps void. The caller sets the status.
   */
  private void shutDown(PodState pod) {
    pod.generation++;
    pod.containerUp = false;
    pod.comfyReady = false;
    pod.publicTcpPorts.clear();
    if (pod.comfy != null) {
      retiring.add(pod.comfy.simulator());
      pod.comfy = null;
    }
  }

  private void remove(PodState pod) {
    system(pod, "terminate pod " + pod.id);
    shutDown(pod);
    pods.remove(pod.id);
    pod.log.end();
    LOG.debug("Terminated pod [id={}]", pod.id);
  }

  private void system(PodState pod, String line) {
    pod.log.append(timeline.now(), PodLog.SYSTEM, line);
  }

  private void container(PodState pod, String line) {
    pod.log.append(timeline.now(), PodLog.CONTAINER, line);
  }

  private String randomString(String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
