package io.gosync.cluster;

import io.gosync.config.NodeConfig;
import io.gosync.testkit.TestCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A node listens on its --host alone. Loopback holds all of 127.0.0.0/8, so a node on 127.0.0.1 that
 * listened on every interface would answer on 127.0.0.2 as well; Hazelcast did, until told otherwise.
 */
class ListeningAddressTest {

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void hazelcastAndTheDataPortAnswerOnTheHostOnly() throws IOException {
    NodeConfig node = cluster.config("node0");
    assertEquals("127.0.0.1", node.host());

    for (int port : new int[] {node.clusterPort(), node.dataPort()}) {
      try (Socket reached = connect("127.0.0.1", port)) {
        assertEquals(port, reached.getPort());
      }
      assertThrows(ConnectException.class, () -> connect("127.0.0.2", port).close(),
          "port " + port + " answers on 127.0.0.2");
    }
  }

  private static Socket connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    return socket;
  }
}
