package io.openavathar.studio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The studio's door, in front of every other handler:
 *
 * <ol>
 *   <li>the Host header must be {@code 127.0.0.1:port} or {@code localhost:port} (a page of another
 *       site that rebinds its DNS name to 127.0.0.1 sends its own name: DNS rebinding), else 403;
 *   <li>{@code ?token=} with the launch token (the URL the CLI opens or prints) is exchanged for an
 *       HttpOnly, SameSite=Strict session cookie and a redirect to the same path without the token;
 *   <li>every other request needs that cookie, else 403;
 *   <li>every POST needs the CSRF token (header {@value #CSRF_HEADER}), which only the studio's own
 *       pages can read ({@code GET /api/state}, behind the cookie), else 403.
 * </ol>
 *
 * Tokens are compared in constant time and never logged.
 */
final class Guard extends Handler.Wrapper {
  static final String COOKIE = "openavathar_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String launchToken = randomToken();
  private final String sessionToken = randomToken();
  private final String csrfToken = randomToken();
  private volatile Set<String> allowedHosts = Set.of();

  Guard() {
    super();
  }

  static String randomToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Called once the port is known. */
  void port(int port) {
    allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
  }

  String launchToken() {
    return launchToken;
  }

  String csrfToken() {
    return csrfToken;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null || !allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
      return deny(
          response,
          callback,
          "This studio answers only at http://127.0.0.1 or http://localhost on its own"
              + " port. Open the address that openavathar studio printed.");
    }
    Fields query = Request.extractQueryParameters(request);
    String offered = query.getValue("token");
    if (offered != null && request.getMethod().equals(HttpMethod.GET.asString())) {
      if (!same(offered, launchToken)) {
        return deny(
            response,
            callback,
            "This link is not (or no longer) valid. Open the address that the running"
                + " openavathar studio printed.");
      }
      Response.addCookie(
          response,
          HttpCookie.build(COOKIE, sessionToken)
              .path("/")
              .httpOnly(true)
              .sameSite(HttpCookie.SameSite.STRICT)
              .build());
      Response.sendRedirect(request, response, callback, request.getHttpURI().getPath());
      return true;
    }
    if (!hasSession(Request.getCookies(request))) {
      return deny(
          response,
          callback,
          "Open the studio with the address that openavathar studio printed (it carries"
              + " a one-time token); restart it with openavathar studio if you lost it.");
    }
    if (request.getMethod().equals(HttpMethod.POST.asString())
        && !same(request.getHeaders().get(CSRF_HEADER), csrfToken)) {
      return deny(
          response, callback, "Missing or wrong CSRF token: reload the studio page and try again.");
    }
    return super.handle(request, response, callback);
  }

  private boolean hasSession(List<HttpCookie> cookies) {
    for (HttpCookie c : cookies) {
      if (c.getName().equals(COOKIE) && same(c.getValue(), sessionToken)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(String offered, String expected) {
    return offered != null
        && MessageDigest.isEqual(
            offered.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean deny(Response response, Callback callback, String message) {
    Http.text(response, callback, 403, "403 Forbidden: " + message + "\n");
    return true;
  }
}
