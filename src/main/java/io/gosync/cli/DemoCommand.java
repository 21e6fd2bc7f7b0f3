package io.gosync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gosync.GosyncNode;
import io.gosync.config.ConfigLoader;
import io.gosync.config.NodeConfig;
import io.gosync.scan.TreeSnapshot;
import io.gosync.trust.ClusterAuthority;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * gosync demo: four nodes on loopback in this process, each fenced into its own root and holding its
 * certificate from the demo's own CA (made in the demo's directory, removed afterwards); a sample
 * tree synced from node0 to the other three through node0's HTTP API; the report; and a check
 * that every target now equals the source.
 */
@Command(name = "demo", description = "Run four nodes on loopback and sync a sample tree from one to the other three.")
final class DemoCommand implements Callable<Integer> {

  private static final int NODES = 4;
  private static final String TREE = "/srv/sample";
  /** The demo cluster's CA and the nodes' certs directories, beside the nodes' roots. */
  private static final String CERTS = "certs";

  @Option(names = "--dir", paramLabel = "DIR", description = "where the nodes' roots go (default: a new temporary directory)")
  Path dir;

  @Option(names = "--keep", description = "keep the nodes' roots afterwards")
  boolean keep;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("gosync-demo-");
    ClusterAuthority authority = ClusterAuthority.init(base.resolve(CERTS));
    // Four members leaving at once make Hazelcast warn about each other; the demo's output is the report.
    ((Logger) LoggerFactory.getLogger("com.hazelcast")).setLevel(Level.ERROR);
    List<GosyncNode> nodes = new ArrayList<>();
    try {
      List<NodeConfig> configs = configs(base, authority);
      System.out.println("starting " + NODES + " nodes on loopback under " + base + " ...");
      for (Future<GosyncNode> started : configs.stream().map(GosyncNode::start).toList()) {
        nodes.add(started.await());
      }
      Path source = root(base, 0).resolve(TREE.substring(1));
      SampleTree.write(source, 42);
      System.out.println("syncing " + TREE + " from node0 to node1, node2, node3 (fan-out 1) ...");
      int code = sync(configs.get(0), ApiCredentials.load(configs.get(0).certs()));
      return verify(base, source) ? code : Report.FAILED;
    } finally {
      Future.join(nodes.stream().map(GosyncNode::close).toList()).await();
      deleteTree(base.resolve(CERTS));
      if (!keep) {
        deleteTree(base);
      }
    }
  }

  /** Through node0's HTTP API, with the token from its certs directory, as `gosync sync --certs` does. */
  private int sync(NodeConfig source, ApiCredentials credentials) throws IOException, InterruptedException {
    ApiClient client = new ApiClient("http", source.httpBind(), source.httpPort(), credentials);
    JsonObject task = new JsonObject().put("src", TREE).put("dst", TREE).put("delete", true)
        .put("targets", new JsonArray(List.of("node1", "node2", "node3")));
    String id = client.submit(task).getString("id");
    JsonObject done;
    try (ProgressView progress = ProgressView.forTerminal(true)) {
      done = client.follow(id, progress::onEvent);
    }
    Report.print(done, System.out);
    return Report.exitCode(done);
  }

  private static boolean verify(Path base, Path source) throws IOException {
    TreeSnapshot expected = TreeSnapshot.of(source);
    boolean same = true;
    for (int i = 1; i < NODES; i++) {
      List<String> differences = expected.differences(TreeSnapshot.of(root(base, i).resolve(TREE.substring(1))));
      System.out.println("node" + i + ": " + (differences.isEmpty()
          ? "identical to the source (" + expected.entries().size() + " entries: bytes, modes, mtimes, links)"
          : differences.size() + " differences, first: " + differences.get(0)));
      same &= differences.isEmpty();
    }
    return same;
  }

  private static List<NodeConfig> configs(Path base, ClusterAuthority authority) throws IOException {
    int[] clusterPorts = new int[NODES];
    List<String> members = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      clusterPorts[i] = FreePorts.next();
      members.add("127.0.0.1:" + clusterPorts[i]);
    }
    String cluster = "gosync-demo-" + UUID.randomUUID();
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      Files.createDirectories(root(base, i));
      Path certs = authority.issue("node" + i, List.of("127.0.0.1"), false);
      configs.add(NodeConfig.fromJson(ConfigLoader.defaults().mergeIn(new JsonObject()
          .put("certs", certs.toString()).put("host", "127.0.0.1").put("clusterName", cluster)
          .put("dataPort", FreePorts.next()).put("httpPort", FreePorts.next()).put("clusterPort", clusterPorts[i])
          .put("clusterMembers", new JsonArray(members)).put("root", root(base, i).toString())
          .put("stateDir", base.resolve("state").toString())
          .put("allow", new JsonArray().add("/")))));
    }
    return configs;
  }

  private static Path root(Path base, int node) {
    return base.resolve("node" + node);
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> all = Files.walk(path)) {
      for (Path item : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(item);
      }
    }
  }
}
