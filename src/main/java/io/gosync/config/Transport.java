package io.gosync.config;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;

/**
 * Every socket a daemon opens to other nodes or to users is configured here: the clustered
 * event bus, the data port as server and as client, and the HTTP API. One place, so that
 * transport security is added once and nothing can open a connection around it.
 */
public final class Transport {

  private Transport() {
  }

  public static EventBusOptions eventBus(NodeConfig config) {
    return new EventBusOptions().setHost(config.host()).setPort(0).setClusterPublicHost(config.host());
  }

  public static NetServerOptions dataServer(NodeConfig config) {
    return new NetServerOptions().setHost(config.host()).setPort(config.dataPort()).setTcpNoDelay(true);
  }

  public static NetClientOptions dataClient(NodeConfig config) {
    return new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()).setTcpNoDelay(true);
  }

  public static HttpServerOptions httpServer(NodeConfig config) {
    return new HttpServerOptions().setHost(config.httpBind()).setPort(config.httpPort());
  }
}
