package io.gosync.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.gosync.config.NodeConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast member of a daemon: Vert.x's required maps from its default cluster.xml, plus
 * our network: the configured address and port (and no other: Hazelcast carries no trust, so it
 * is not offered on interfaces nobody asked for), a TCP-IP member list when one is given
 * (multicast otherwise), and quick detection of dead members.
 */
public final class HazelcastSetup {

  /** Each member carries its gosync node name, so survivors can tell which node left. */
  static final String NAME_ATTRIBUTE = "gosync.name";
  /**
   * When this daemon started (epoch ms): of two live members whose entries claim one name, the one started
   * later is the restarted node. Fixed for the process, so a member Hazelcast drops and later readmits (under
   * a new member id) stays the older one.
   */
  static final String STARTED_ATTRIBUTE = "gosync.started";

  private HazelcastSetup() {
  }

  public static HazelcastClusterManager clusterManager(NodeConfig node) {
    return new HazelcastClusterManager(config(node));
  }

  private static Config config(NodeConfig node) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(node.clusterName());
    config.getMemberAttributeConfig().setAttribute(NAME_ATTRIBUTE, node.name())
        .setAttribute(STARTED_ATTRIBUTE, String.valueOf(System.currentTimeMillis()));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(node.clusterHeartbeatTimeoutSeconds()));
    config.setProperty("hazelcast.local.localAddress", node.host());
    // Without it Hazelcast listens on every interface (0.0.0.0), whatever address it advertises.
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Nothing reads Hazelcast's metrics (no Management Center, no JMX scraping), yet collecting
    // them every 5 s was a sixth of an idle daemon's CPU: 1.5 s a minute down to 1.25 s.
    config.getMetricsConfig().setEnabled(false);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(node.clusterPort()).setPortAutoIncrement(false);
    network.setPublicAddress(node.host() + ":" + node.clusterPort());
    network.getInterfaces().setEnabled(true).addInterface(node.host());
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    boolean listed = !node.clusterMembers().isEmpty();
    join.getMulticastConfig().setEnabled(!listed);
    join.getTcpIpConfig().setEnabled(listed).setMembers(node.clusterMembers()).setConnectionTimeoutSeconds(2);
    return config;
  }
}
