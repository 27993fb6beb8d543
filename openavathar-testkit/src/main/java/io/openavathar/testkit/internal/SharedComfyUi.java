package io.openavathar.testkit.internal;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * Mounts ComfyUI simulators on another simulator's Jetty server, each below its own path prefix, so
 * that one port serves many of them (the RunPod simulator's proxy). Public only because the comfy
 * and runpod packages both need it; not part of the testkit's API.
 *
 * <p>The comfy package registers the {@link Mounter} when {@link ComfyUiSimulator} initialises,
 * which has happened by the time anyone holds a {@link ComfyUiSimulatorBuilder}.
 */
public final class SharedComfyUi {

  /** What the hosting server offers a mounted simulator. */
  public interface Host {
    /** The port the host listens on, for the simulator's {@code baseUrl()}. */
    int port();

    /**
     * The host server's WebSocket container, configured with {@link #configureWebSockets(Server)}.
     */
    ServerWebSocketContainer webSockets();
  }

  /**
   * A mounted simulator: its public face, and the handler the host must call for every request
   * whose path is the simulator's prefix or below it. Closing the simulator does not stop the host.
   *
   * @param simulator the simulator, for inspection, faults and {@code close()}
   * @param handler the request handler; it answers 404 outside the prefix
   */
  public record Mounted(ComfyUiSimulator simulator, Handler handler) {}

  /** Implemented by the comfy package. */
  public interface Mounter {
    /** Starts a simulator from the builder's settings without a server of its own. */
    Mounted mount(ComfyUiSimulatorBuilder builder, Host host);
  }

  private static volatile Mounter mounter;

  private SharedComfyUi() {}

  /** Called once by the comfy package; later calls are ignored. */
  public static synchronized void register(Mounter implementation) {
    if (mounter == null) {
      mounter = Objects.requireNonNull(implementation, "implementation");
    }
  }

  /**
   * Starts a simulator mounted on {@code host}; the builder's port and host settings are ignored.
   */
  public static Mounted mount(ComfyUiSimulatorBuilder builder, Host host) {
    Objects.requireNonNull(builder, "builder");
    ComfyUiSimulator
        .defaultNodeClasses(); // initialises ComfyUiSimulator, which registers the mounter
    Mounter current = mounter;
    if (current == null) {
      throw new IllegalStateException("The comfy package did not register its mounter");
    }
    return current.mount(builder, Objects.requireNonNull(host, "host"));
  }

  /**
   * Creates (or finds) the server's WebSocket container with ComfyUI's limits: no idle limit, as
   * aiohttp has no server-side heartbeat, and 1 MiB text frames.
   */
  public static ServerWebSocketContainer configureWebSockets(Server server) {
    ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(server);
    webSockets.setIdleTimeout(Duration.ofDays(1));
    webSockets.setMaxTextMessageSize(1024 * 1024);
    return webSockets;
  }
}
