package io.gosync;

import io.gosync.api.HttpApiVerticle;
import io.gosync.cluster.HazelcastSetup;
import io.gosync.cluster.LocalCodec;
import io.gosync.cluster.NodeRegistryVerticle;
import io.gosync.config.NodeConfig;
import io.gosync.config.Transport;
import io.gosync.control.TaskControlVerticle;
import io.gosync.relay.RelayVerticle;
import io.gosync.scan.ScannerVerticle;
import io.gosync.scan.TempNames;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The composition root: one running daemon, a clustered Vert.x instance with gosync's verticles
 * deployed. The daemon command, the demo and the tests all start nodes through here; no feature
 * package imports it.
 */
public final class GosyncNode {

  private final Vertx vertx;
  private final NodeConfig config;
  private final Future<String> superseded;

  private GosyncNode(Vertx vertx, NodeConfig config, Future<String> superseded) {
    this.vertx = vertx;
    this.config = config;
    this.superseded = superseded;
  }

  /**
   * Starts a node with the identity in its certs directory, loaded once here and handed to whatever needs it.
   * Fails without a valid one, or when the configured name is not the certificate's.
   */
  public static Future<GosyncNode> start(NodeConfig settings) {
    NodeIdentity identity;
    NodeConfig config;
    try {
      identity = NodeIdentity.load(settings.certsDir());
      config = settings.named(identity);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager cluster = HazelcastSetup.clusterManager(config);
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(Transport.eventBus(config, identity))
        // gosync only ever means real paths, never classpath resources.
        .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
    Promise<String> superseded = Promise.promise();
    return Vertx.builder().with(options).withClusterManager(cluster).buildClustered()
        .compose(vertx -> deploy(vertx, cluster, config, identity, superseded)
            .map(v -> new GosyncNode(vertx, config, superseded.future()))
            .recover(err -> vertx.close().transform(closed -> Future.failedFuture(err))));
  }

  private static Future<Void> deploy(Vertx vertx, HazelcastClusterManager cluster, NodeConfig config,
      NodeIdentity identity, Promise<String> superseded) {
    LocalCodec.register(vertx.eventBus());
    TempNames temps = new TempNames(identity.localSecret());
    return vertx.deployVerticle(new NodeRegistryVerticle(config, cluster, identity, superseded))
        .compose(id -> vertx.deployVerticle(new ScannerVerticle(config, temps),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(id -> vertx.deployVerticle(new RelayVerticle(config, identity, temps)))
        .compose(id -> vertx.deployVerticle(new TaskControlVerticle(config)))
        .compose(id -> vertx.deployVerticle(new HttpApiVerticle(config, identity)))
        .mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeConfig config() {
    return config;
  }

  /**
   * Completes, with the reason, if this node was started again (elsewhere, with its certificate) while this
   * process was thought dead, and the newer one took its name: this one should stop.
   */
  public Future<String> superseded() {
    return superseded;
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
