package io.gosync.cli;

import io.gosync.config.ConfigLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Which daemon a client command talks to: --via HOST:PORT, or the seed's -h HOST -p PORT. */
final class Via {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--via", paramLabel = "HOST:PORT", description = "the daemon's HTTP address (for sync: the source node)")
  String via;

  @Option(names = "-h", paramLabel = "HOST", description = "the daemon's host (seed spelling; with -p)")
  String host;

  @Option(names = "-p", paramLabel = "PORT", description = "the daemon's HTTP port (seed spelling; with -h)")
  Integer port;

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
      int colon = via.lastIndexOf(':');
      if (colon <= 0) {
        throw new ParameterException(spec.commandLine(), "--via: expected HOST:PORT, got '" + via + "'");
      }
      host = via.substring(0, colon);
      try {
        port = Integer.parseInt(via.substring(colon + 1));
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
