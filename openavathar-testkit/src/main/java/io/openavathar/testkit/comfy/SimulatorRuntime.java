package io.openavathar.testkit.comfy;

import io.openavathar.testkit.internal.SharedComfyUi;
import io.openavathar.testkit.internal.WebSocketEndpoint;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the simulator's parts together, runs Jetty (unless mounted on a host's server) and the
 * worker thread, and tears both down.
 */
final class SimulatorRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorRuntime.class);

  /** Everything the builder decided. */
  record Settings(
      String host,
      int port,
      String pathPrefix,
      Duration stepDelay,
      Duration historyDelay,
      Path inputDirectory,
      Path outputDirectory,
      long seed,
      Set<String> installedClasses,
      long maxUploadBytes,
      boolean caching,
      Path portraitVideo,
      Path landscapeVideo,
      Map<String, List<String>> modelFiles,
      boolean cpuDevice,
      SimulatedGpu gpu) {}

  final Settings settings;
  final Directories directories;
  final PromptQueue queue = new PromptQueue();
  final Faults faults = new Faults();
  final ServerCatalog catalog;
  final RequestLog requestLog = new RequestLog();
  final EventHub hub;
  final OutputCache cache;
  final UploadRoute uploads;
  final PromptRoute prompts;
  final AtomicBoolean previews = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Path> ownedDirectories = new ArrayList<>();
  private final Server server;
  private final ServerConnector connector;
  private final SharedComfyUi.Host host;
  private final SimulatorHandler handler;
  private final Thread worker;

  /** Starts a simulator on its own Jetty server. */
  SimulatorRuntime(Settings settings) throws Exception {
    this(settings, null);
  }

  /**
   * Starts a simulator; with a {@code host}, no server of its own is started and the host routes
   * requests below the path prefix to {@link #handler()}.
   */
  SimulatorRuntime(Settings settings, SharedComfyUi.Host host) throws Exception {
    this.settings = settings;
    this.host = host;
    this.catalog = new ServerCatalog(settings.installedClasses(), settings.modelFiles());
    Path root = Files.createTempDirectory("comfyui-simulator-");
    ownedDirectories.add(root);
    directories =
        new Directories(
            settings.inputDirectory() != null ? settings.inputDirectory() : root.resolve("input"),
            settings.outputDirectory() != null
                ? settings.outputDirectory()
                : root.resolve("output"),
            root.resolve("temp"));
    directories.createAll();
    Path scratch = Files.createDirectories(root.resolve("upload-scratch"));
    hub = new EventHub(queue, InfoRoutes.features(settings.maxUploadBytes()));
    cache = new OutputCache(settings.caching());
    Ids ids = new Ids(settings.seed());
    uploads = new UploadRoute(directories, settings.maxUploadBytes(), scratch);
    prompts =
        new PromptRoute(
            queue, new PromptValidator(catalog.installed(), directories), hub, faults, ids);

    ServerWebSocketContainer webSockets;
    if (host == null) {
      QueuedThreadPool pool = new QueuedThreadPool(200, 4);
      pool.setName("comfyui-simulator-http");
      pool.setDaemon(true);
      server = new Server(pool);
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setHost(settings.host());
      connector.setPort(settings.port());
      server.addConnector(connector);
      webSockets = SharedComfyUi.configureWebSockets(server);
    } else {
      server = null;
      connector = null;
      webSockets = host.webSockets();
    }
    List<SimulatorHandler.Route> routes =
        List.of(
            prompts,
            new QueueRoutes(queue, hub),
            uploads,
            new ViewRoute(directories, faults),
            new InfoRoutes(
                catalog,
                directories,
                settings.maxUploadBytes(),
                settings.cpuDevice(),
                settings.gpu()));
    handler =
        new SimulatorHandler(
            settings.pathPrefix(),
            faults,
            requestLog,
            routes,
            webSockets,
            (request, response, callback) ->
                new WebSocketEndpoint(new SimSocket(clientIdOf(request, ids), hub)));
    if (server != null) {
      server.setHandler(handler);
    }

    RunContext context =
        new RunContext(
            queue,
            hub,
            faults,
            new OutputFiles(directories, settings.portraitVideo(), settings.landscapeVideo()),
            directories,
            cache,
            settings.stepDelay(),
            settings.historyDelay(),
            previews::get,
            OutputFiles.previewJpeg(),
            new SpeedModel(settings.gpu(), settings.seed()));
    worker = new Thread(new Worker(context), "comfyui-simulator-worker");
    worker.setDaemon(true);
    try {
      if (server != null) {
        server.start();
      }
    } catch (Exception e) {
      deleteOwnedDirectories();
      throw e;
    }
    worker.start();
    LOG.debug(
        "ComfyUI simulator listening [port={}, prefix={}, mounted={}]",
        port(),
        settings.pathPrefix(),
        host != null);
  }

  /** The root handler; a host routes requests below the path prefix to it. */
  SimulatorHandler handler() {
    return handler;
  }

  private static String clientIdOf(Request request, Ids ids) {
    String clientId = Request.extractQueryParameters(request).getValue("clientId");
    return clientId == null || clientId.isEmpty() ? ids.hex() : clientId;
  }

  int port() {
    return host != null ? host.port() : connector.getLocalPort();
  }

  /**
   * Forgets queue, history and cache and drops every socket; files on disk stay, as after a process
   * restart.
   */
  void restart() throws IOException {
    queue.restart();
    cache.clear();
    hub.dropNow();
    deleteTree(directories.temp());
    Files.createDirectories(directories.temp());
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    queue.close();
    faults.close();
    worker.interrupt();
    try {
      hub.dropNow();
      if (server != null) {
        // A ComfyUI process that dies answers nothing more: cut the connections in flight (an
        // upload
        // half sent) instead of letting a graceful stop answer them (Jetty answered 400).
        connector.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
        server.stop();
      }
      worker.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("The ComfyUI simulator's HTTP server did not stop cleanly", e);
    } finally {
      deleteOwnedDirectories();
    }
  }

  private void deleteOwnedDirectories() {
    for (Path directory : ownedDirectories) {
      try {
        deleteTree(directory);
      } catch (IOException e) {
        LOG.warn(
            "Could not delete the simulator's temporary directory {}; delete it by hand",
            directory,
            e);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
