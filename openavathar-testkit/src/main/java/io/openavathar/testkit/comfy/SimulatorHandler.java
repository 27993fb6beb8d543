package io.openavathar.testkit.comfy;

import java.util.List;
import java.util.OptionalInt;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root handler: strips the path prefix and {@code /api}, applies request faults, routes the
 * request, runs a scripted action, records it, delays the answer if asked, and writes it. Routes
 * run blocking on Jetty's pool.
 */
final class SimulatorHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);

  /** One group of routes; answers null when the route is not one of its own. */
  interface Route {
    Reply handle(Exchange exchange) throws Exception;
  }

  private final String prefix;
  private final Faults faults;
  private final RequestLog requestLog;
  private final List<Route> routes;
  private final ServerWebSocketContainer webSockets;
  private final WebSocketCreator socketCreator;

  SimulatorHandler(
      String prefix,
      Faults faults,
      RequestLog requestLog,
      List<Route> routes,
      ServerWebSocketContainer webSockets,
      WebSocketCreator socketCreator) {
    super(InvocationType.BLOCKING);
    this.prefix = prefix;
    this.faults = faults;
    this.requestLog = requestLog;
    this.routes = List.copyOf(routes);
    this.webSockets = webSockets;
    this.socketCreator = socketCreator;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getDecodedPath();
    if (path == null || !(path.equals(prefix) || path.startsWith(prefix + "/"))) {
      requestLog.record(request, path == null ? "" : path);
      Reply.empty(404).send(request, response, callback);
      return true;
    }
    String route = Faults.normalise(path.substring(prefix.length()));
    OptionalInt failure = faults.takeRequestFailure(request.getMethod(), route);
    if (failure.isPresent()) {
      Content.Source.consumeAll(request);
      requestLog.record(request, route);
      LOG.debug(
          "Failing request as scripted [{} {} -> {}]",
          request.getMethod(),
          route,
          failure.getAsInt());
      Reply.empty(failure.getAsInt()).send(request, response, callback);
      return true;
    }
    if (route.equals("/ws")) {
      requestLog.record(request, route);
      if (!webSockets.upgrade(socketCreator, request, response, callback)) {
        Reply.empty(400).send(request, response, callback);
      }
      return true;
    }
    Reply reply = route(new Exchange(request, route));
    Runnable hook = faults.takeRequestHook(request.getMethod(), route);
    if (hook != null) {
      hook.run();
    }
    requestLog.record(request, route);
    faults.awaitResponseDelay();
    reply.send(request, response, callback);
    return true;
  }

  private Reply route(Exchange exchange) {
    try {
      for (Route route : routes) {
        Reply reply = route.handle(exchange);
        if (reply != null) {
          return reply;
        }
      }
      return Reply.empty(404);
    } catch (Exception e) {
      LOG.debug(
          "Route failed; answering 500 as aiohttp does [{} {}]",
          exchange.method(),
          exchange.route(),
          e);
      try {
        Content.Source.consumeAll(exchange.request());
      } catch (Exception ignored) {
        // the body may be half-read; the answer is 500 either way
      }
      return Reply.empty(500);
    }
  }
}
