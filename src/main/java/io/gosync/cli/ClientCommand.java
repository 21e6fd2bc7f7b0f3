package io.gosync.cli;

import io.gosync.config.ConfigLoader;
import io.vertx.core.logging.JULLogDelegateFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A command that talks to one daemon's HTTP API and exits with a report code. It finds the cluster's token
 * where the daemon finds its certs: --certs, else GOSYNC_CERTS, else the key certs of --config.
 */
abstract class ClientCommand implements Callable<Integer> {

  private static final String VERTX_LOGGER = "vertx.logger-delegate-factory-class-name";

  @Mixin
  Via via;

  @Option(names = "--certs", paramLabel = "DIR",
      description = "a certs directory of the cluster (its token; its ca.pem for https); default: GOSYNC_CERTS")
  String certs;

  @Option(names = "--config", paramLabel = "FILE", description = "a JSON file of configuration keys (here: certs)")
  Path config;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public final Integer call() {
    skipLogback();
    check();
    String host = via.host();
    int port = via.port();
    // A missing or broken certs directory is an IllegalArgumentException: Main says so and exits 2.
    ApiCredentials credentials = ApiCredentials.load(ConfigLoader.clientValue("certs", certs, System.getenv(), config));
    try {
      return run(new ApiClient(via.scheme(), host, port, credentials));
    } catch (ApiClient.ApiException e) {
      System.err.println("gosync: " + e.getMessage());
      return e.status / 100 == 4 ? Report.USAGE : Report.FAILED;
    } catch (ParameterException e) {
      throw e; // picocli prints it with the usage and exits 2
    } catch (Exception e) { // no connection (IOException), or a reply we cannot read (e.g. not JSON)
      System.err.println("gosync: cannot talk to the daemon at " + host + ":" + port + ": " + e + hint(e));
      return Report.FAILED;
    }
  }

  /** A daemon whose API listens beyond loopback speaks only HTTPS, and closes a plain request without a word. */
  private String hint(Exception e) {
    boolean plain = "http".equals(via.scheme());
    return plain && e instanceof IOException && !(e instanceof ConnectException)
        ? " (if that daemon's httpBind is not a loopback address, it speaks HTTPS: --via https://HOST:PORT)" : "";
  }

  /** Checks the options among themselves, before anything is read or sent. */
  void check() {
  }

  /**
   * The client logs nothing, but Vert.x's JSON codec asks for a logger on first use, and via
   * SLF4J that would configure Logback from XML: ~0.25 s and ~500 classes per call. JUL costs
   * next to nothing. Someone who set a Vert.x logger on purpose keeps theirs.
   */
  private static void skipLogback() {
    if (System.getProperty(VERTX_LOGGER) == null) {
      System.setProperty(VERTX_LOGGER, JULLogDelegateFactory.class.getName());
    }
  }

  abstract int run(ApiClient client) throws IOException, InterruptedException;
}
