package io.gosync.api;

import io.gosync.trust.ApiToken;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The one check in front of every route of the API but {@code /health}: a request goes on only with the
 * cluster's token ({@code Authorization: Bearer <token>}, compared in constant time) or, over HTTPS, with a
 * client certificate of the cluster. Anything else is a 401 before a handler runs, so nothing is
 * submitted or disclosed.
 */
final class TokenOrCertificate implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(TokenOrCertificate.class);
  private static final String BEARER = "bearer ";
  /**
   * How long a refused request's body may take to come before it is answered anyway: a body of ours is a few KB,
   * and a client that never sends the body it announced must not hold the connection (nor its 401) for ever.
   */
  static final long DRAIN_LIMIT_MS = 2_000;
  static final String REFUSAL = "this API wants the cluster's token (Authorization: Bearer <token>, the token in a"
      + " certs directory) or a client certificate of the cluster";

  private final ApiToken token;

  TokenOrCertificate(ApiToken token) {
    this.token = token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (token.matches(bearer(request.getHeader(HttpHeaders.AUTHORIZATION))) || certifiedPeer(request) != null) {
      ctx.next();
      return;
    }
    LOG.warn("HTTP {} {} from {}: refused, neither the cluster's token nor its certificate", request.method(),
        request.path(), request.remoteAddress());
    // The router holds the request paused until a body handler reads it. A refused body is read to its end and
    // dropped, and only then answered: a 401 sent while the body was still coming left the connection, which
    // the client then used again, waiting for ever (HttpAccessTest.afterRefusedPostsTheClientIsAnsweredAgain).
    if (request.isEnded()) {
      refuse(ctx);
    } else {
      long[] dropped = {0};
      long limit = ctx.vertx().setTimer(DRAIN_LIMIT_MS, id -> refuse(ctx));
      request.handler(chunk -> {
        dropped[0] += chunk.length();
        if (dropped[0] > HttpApiVerticle.BODY_LIMIT) {
          request.connection().close(); // no request of ours is larger: not worth reading on
        }
      }).endHandler(ended -> {
        ctx.vertx().cancelTimer(limit);
        refuse(ctx);
      });
      request.resume();
    }
  }

  /**
   * Answers 401 and closes the connection: a client without credentials gets no kept-alive connection, and
   * none that a refused request could have left in an odd state (CI saw the client's next request on such a
   * connection wait for ever, about once in a few runs, after the body-draining fix).
   */
  private static void refuse(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    HttpConnection connection = ctx.request().connection();
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"gosync\"")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject().put("error", REFUSAL).encode())
        .onComplete(sent -> connection.close());
  }

  /** The credentials of a Bearer header (the scheme's name is case-insensitive, RFC 7235), else null. */
  private static String bearer(String header) {
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      return null;
    }
    return header.substring(BEARER.length()).strip();
  }

  /**
   * The node name in the client certificate, or null without one. The server's options trust the cluster CA
   * alone, so a certificate that reached us here was signed by it.
   */
  private static String certifiedPeer(HttpServerRequest request) {
    SSLSession session = request.isSSL() ? request.connection().sslSession() : null;
    if (session == null) {
      return null;
    }
    try {
      return NodeIdentity.peerName(session);
    } catch (SSLPeerUnverifiedException e) {
      return null; // no certificate offered: the token decides
    }
  }
}
