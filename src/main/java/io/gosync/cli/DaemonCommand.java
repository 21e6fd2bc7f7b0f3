package io.gosync.cli;

import io.gosync.GosyncNode;
import io.gosync.config.ConfigLoader;
import io.gosync.config.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** gosync daemon: runs a node until it is stopped. */
@Command(name = "daemon", description = "Run a gosync node. Flags override GOSYNC_* variables, which override --config, which overrides config/gosync.json.")
final class DaemonCommand implements Callable<Integer> {

  /** How long a stopping daemon waits for its node to leave the cluster before the JVM exits. */
  private static final int SHUTDOWN_SECONDS = 30;

  @Option(names = "--config", paramLabel = "FILE", description = "a JSON file of configuration keys")
  Path config;

  @Option(names = "--certs", paramLabel = "DIR", description = "this node's certs directory (gosync certs issue)")
  String certs;

  @Option(names = "--name", description = "node name; must be the certificate's (default: the certificate's)")
  String name;

  @Option(names = "--host", paramLabel = "ADDR", description = "address to listen on and to advertise")
  String host;

  @Option(names = "--data-port", paramLabel = "PORT", description = "relay data port")
  Integer dataPort;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP API port")
  Integer httpPort;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "Hazelcast member port")
  Integer clusterPort;

  @Option(names = "--cluster-members", split = ",", paramLabel = "H:P,H:P", description = "Hazelcast TCP-IP member list")
  List<String> clusterMembers;

  @Option(names = "--root", paramLabel = "DIR", description = "confine every task path of this node inside DIR")
  String root;

  @Option(names = "--allow", paramLabel = "DIR", description = "allowed source/destination directory (repeatable)")
  List<String> allow;

  @Option(names = "--fanout", paramLabel = "N", description = "default children per relay node")
  Integer fanout;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() throws InterruptedException {
    Vertx reader = Vertx.vertx();
    NodeConfig settings;
    try {
      settings = ConfigLoader.load(reader, config, System.getenv(), flags()).await();
    } finally {
      reader.close().await();
    }
    GosyncNode node = GosyncNode.start(settings).await();
    System.out.printf("gosync %s: http %s:%d, data %s:%d, cluster %s:%d, root %s%n", node.config().name(),
        settings.httpBind(), settings.httpPort(), settings.host(), settings.dataPort(), settings.host(),
        settings.clusterPort(), settings.root());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close(node);
      stopped.countDown();
    }));
    node.superseded().onSuccess(why -> stopped.countDown());
    stopped.await();
    if (node.superseded().succeeded()) {
      System.err.println("gosync: " + node.superseded().result());
      close(node);
      return Report.FAILED;
    }
    return Report.OK;
  }

  private static void close(GosyncNode node) {
    try {
      node.close().await(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("gosync: could not stop cleanly within " + SHUTDOWN_SECONDS + " s: " + e);
    }
  }

  private JsonObject flags() {
    JsonObject flags = new JsonObject();
    putIfSet(flags, "certs", certs);
    putIfSet(flags, "name", name);
    putIfSet(flags, "host", host);
    putIfSet(flags, "dataPort", dataPort);
    putIfSet(flags, "httpPort", httpPort);
    putIfSet(flags, "clusterPort", clusterPort);
    putIfSet(flags, "clusterMembers", clusterMembers == null ? null : new JsonArray(clusterMembers));
    putIfSet(flags, "root", root);
    putIfSet(flags, "allow", allow == null ? null : new JsonArray(allow));
    putIfSet(flags, "fanout", fanout);
    return flags;
  }

  private static void putIfSet(JsonObject flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
