package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/** How the cluster sees one gosync daemon; stored in the cluster-wide node map as JSON. */
public record NodeInfo(String name, String host, int dataPort, int httpPort, String version, String clusterNodeId) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("host", host).put("dataPort", dataPort)
        .put("httpPort", httpPort).put("version", version).put("clusterNodeId", clusterNodeId);
  }

  public static NodeInfo fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "node");
    return new NodeInfo(fields.text("name"), fields.text("host"), fields.whole("dataPort"), fields.whole("httpPort"),
        fields.text("version"), fields.text("clusterNodeId"));
  }

  /** A target may be named by node name, by host (if only one node runs there) or by host:dataPort. */
  public boolean answersTo(String target) {
    return target.equals(name) || target.equals(host) || target.equals(host + ":" + dataPort);
  }
}
