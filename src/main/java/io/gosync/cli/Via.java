package io.gosync.cli;

import io.gosync.config.ConfigLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Which daemon a client command talks to: --via HOST:PORT, or the seed's -h HOST -p PORT, in plain HTTP; or
 * --via https://HOST:PORT for a daemon whose API listens beyond loopback (which speaks HTTPS only there).
 * The URL says which: the CLI never guesses, so it never falls back to plain HTTP on its own.
 */
final class Via {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private static final String HTTPS = "https://";
  private static final String HTTP = "http://";

  @Option(names = "--via", paramLabel = "[https://]HOST:PORT",
      description = "the daemon's HTTP address (for sync: the source node); https:// for a daemon beyond loopback")
  String via;

  @Option(names = "-h", paramLabel = "HOST", description = "the daemon's host (seed spelling; with -p)")
  String host;

  @Option(names = "-p", paramLabel = "PORT", description = "the daemon's HTTP port (seed spelling; with -h)")
  Integer port;

  private String scheme = "http";

  /** "http", or "https" when --via said so. */
  String scheme() {
    resolve();
    return scheme;
  }

  String host() {
    resolve();
    return host;
  }

  int port() {
    resolve();
    return port;
  }

  private void resolve() {
    if (via != null) {
      String address = via;
      if (via.regionMatches(true, 0, HTTPS, 0, HTTPS.length())) {
        scheme = "https";
        address = via.substring(HTTPS.length());
      } else if (via.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
        address = via.substring(HTTP.length());
      }
      if (address.endsWith("/")) {
        address = address.substring(0, address.length() - 1);
      }
      int colon = address.lastIndexOf(':');
      if (colon <= 0) {
        throw new ParameterException(spec.commandLine(), "--via: expected HOST:PORT or https://HOST:PORT, got '" + via + "'");
      }
      host = address.substring(0, colon);
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "--via: bad port in '" + via + "'");
      }
      via = null;
    }
    if (host == null) {
      host = "127.0.0.1";
    }
    if (port == null) {
      port = ConfigLoader.defaults().getInteger("httpPort");
    }
  }
}
