package io.gosync.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for nodes started on one machine (the demo, the tests). Picked below Linux's ephemeral
 * range (32768-60999), where outgoing connections and "port 0" servers take theirs, so a port
 * we picked is not taken by someone else before our node binds it; never handed out twice.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {
  }

  public static synchronized int next() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (!GIVEN.contains(port) && isFree(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }

  private static boolean isFree(int port) {
    try {
      new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
