package io.gosync.cli;

import io.vertx.core.logging.JULLogDelegateFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.concurrent.Callable;

/** A command that talks to one daemon's HTTP API and exits with a report code. */
abstract class ClientCommand implements Callable<Integer> {

  private static final String VERTX_LOGGER = "vertx.logger-delegate-factory-class-name";

  @Mixin
  Via via;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public final Integer call() {
    skipLogback();
    String host = via.host();
    int port = via.port();
    try {
      return run(new ApiClient(host, port));
    } catch (ApiClient.ApiException e) {
      System.err.println("gosync: " + e.getMessage());
      return e.status / 100 == 4 ? Report.USAGE : Report.FAILED;
    } catch (ParameterException e) {
      throw e; // picocli prints it with the usage and exits 2
    } catch (Exception e) { // no connection (IOException), or a reply we cannot read (e.g. not JSON)
      System.err.println("gosync: cannot talk to the daemon at " + host + ":" + port + ": " + e);
      return Report.FAILED;
    }
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
