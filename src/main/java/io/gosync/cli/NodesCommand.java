package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.IOException;

/** gosync nodes: the live nodes of the cluster, as the --via node sees them. */
@Command(name = "nodes", description = "List the nodes in the cluster.")
final class NodesCommand extends ClientCommand {

  @Override
  int run(ApiClient client) throws IOException {
    JsonArray nodes = client.nodes();
    if (json) {
      System.out.println(nodes.encodePrettily());
      return Report.OK;
    }
    System.out.printf("%-20s %-16s %6s %6s  %s%n", "NAME", "HOST", "DATA", "HTTP", "VERSION");
    for (Object item : nodes) {
      JsonObject node = (JsonObject) item;
      System.out.printf("%-20s %-16s %6d %6d  %s%n", node.getString("name"), node.getString("host"),
          node.getInteger("dataPort"), node.getInteger("httpPort"), node.getString("version"));
    }
    return Report.OK;
  }
}
