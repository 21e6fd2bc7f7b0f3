package io.gosync.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.gosync.api.HttpApiVerticle;
import io.gosync.config.NodeConfig;
import io.gosync.control.TaskControlVerticle;
import io.gosync.relay.RelayVerticle;
import io.gosync.scan.ScannerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.gosync.Constants.nodeAddress;

/**
 * One running daemon: a clustered Vert.x instance with gosync's verticles deployed. The daemon
 * command, the demo and the tests all start nodes through here.
 */
public final class GosyncNode {

  private final Vertx vertx;
  private final NodeConfig config;

  private GosyncNode(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public static Future<GosyncNode> start(NodeConfig config) {
    HazelcastClusterManager cluster = new HazelcastClusterManager(HazelcastSetup.config(config));
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(config.host()).setPort(0).setClusterPublicHost(config.host()))
        // gosync only ever means real paths, never classpath resources.
        .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
    return Vertx.builder().with(options).withClusterManager(cluster).buildClustered()
        .compose(vertx -> deploy(vertx, cluster, config)
            .map(v -> new GosyncNode(vertx, config))
            .recover(err -> vertx.close().transform(closed -> Future.failedFuture(err))));
  }

  private static Future<Void> deploy(Vertx vertx, HazelcastClusterManager cluster, NodeConfig config) {
    LocalCodec.register(vertx.eventBus());
    cluster.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        vertx.eventBus().send(nodeAddress(config.name(), NodeRegistryVerticle.MEMBER_LEFT), new JsonObject()
            .put("clusterNodeId", event.getMember().getUuid().toString())
            .put("name", event.getMember().getAttribute(HazelcastSetup.NAME_ATTRIBUTE)));
      }
    });
    Supplier<Set<String>> liveMembers = () -> cluster.getHazelcastInstance().getCluster().getMembers().stream()
        .map(member -> member.getUuid().toString()).collect(Collectors.toSet());
    return vertx.deployVerticle(new NodeRegistryVerticle(config, cluster.getNodeId(), liveMembers))
        .compose(id -> vertx.deployVerticle(new ScannerVerticle(config),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(id -> vertx.deployVerticle(new RelayVerticle(config)))
        .compose(id -> vertx.deployVerticle(new TaskControlVerticle(config)))
        .compose(id -> vertx.deployVerticle(new HttpApiVerticle(config)))
        .mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeConfig config() {
    return config;
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
