package io.gosync.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * K hosts on one switch, all inside network namespaces this class makes: a namespace per host
 * with one veth link ("eth0") into a bridge that lives in a namespace of its own, so nothing
 * touches the machine's interfaces. Each link is shaped to the same rate in both directions
 * (the host's egress for its uplink, the bridge port's egress for its downlink), with an htb
 * class per peer so that one sender shares its link fairly among its receivers.
 */
final class LabNetwork implements AutoCloseable {

  /** Every namespace of the lab starts with this, so a later run can find and remove leftovers. */
  static final String PREFIX = "gosync-lab-";
  /** A private /24 that exists only inside the lab's namespaces. */
  private static final String SUBNET = "10.99.0.";
  private static final String SWITCH = PREFIX + "switch";
  private static final String BRIDGE = "br0";
  private static final String LINK = "eth0";

  private final int hosts;
  private final int rateMbit;
  private final List<String> made = new ArrayList<>();

  private LabNetwork(int hosts, int rateMbit) {
    this.hosts = hosts;
    this.rateMbit = rateMbit;
  }

  /** Builds the lab after removing what an earlier, interrupted run left; on failure removes what it made. */
  static LabNetwork create(int hosts, int rateMbit) throws IOException {
    if (hosts < 2 || hosts > 200) {
      throw new IllegalArgumentException("a lab has 2 to 200 hosts, not " + hosts);
    }
    if (rateMbit < 1 || rateMbit > 10_000) {
      throw new IllegalArgumentException("link rate must be 1 to 10000 Mbit/s, not " + rateMbit);
    }
    removeLeftovers();
    LabNetwork network = new LabNetwork(hosts, rateMbit);
    try {
      network.build();
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  int hosts() {
    return hosts;
  }

  int rateMbit() {
    return rateMbit;
  }

  String namespace(int host) {
    return PREFIX + "h" + host;
  }

  String address(int host) {
    return SUBNET + (host + 1);
  }

  /** The command, run inside the host's namespace. */
  List<String> inside(int host, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Bytes the host has sent on its link since the lab was made. */
  long sentBytes(int host) throws IOException {
    return Long.parseLong(Shell.run(inside(host, List.of("cat", "/sys/class/net/" + LINK + "/statistics/tx_bytes"))).strip());
  }

  private void build() throws IOException {
    add(SWITCH);
    Shell.run("ip", "-n", SWITCH, "link", "add", BRIDGE, "type", "bridge");
    Shell.run("ip", "-n", SWITCH, "link", "set", BRIDGE, "up");
    for (int host = 0; host < hosts; host++) {
      String namespace = namespace(host);
      String port = "p" + host;
      add(namespace);
      Shell.run("ip", "-n", SWITCH, "link", "add", port, "type", "veth", "peer", "name", LINK, "netns", namespace);
      Shell.run("ip", "-n", SWITCH, "link", "set", port, "master", BRIDGE);
      Shell.run("ip", "-n", SWITCH, "link", "set", port, "up");
      Shell.run("ip", "-n", namespace, "addr", "add", address(host) + "/24", "dev", LINK);
      Shell.run("ip", "-n", namespace, "link", "set", LINK, "up");
      Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
      shape(namespace, LINK, host, "dst");
      shape(SWITCH, port, host, "src");
    }
  }

  /**
   * One htb class per peer (the other end's address, matched by u32), each guaranteed its share
   * of the link and allowed to borrow up to the whole rate; anything else (ARP) in a default class.
   */
  private void shape(String namespace, String device, int host, String peerField) throws IOException {
    tc(namespace, "qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "ffff");
    classes("add", namespace, device, host, rateMbit);
    for (int peer = 0; peer < hosts; peer++) {
      if (peer != host) {
        tc(namespace, "filter", "add", "dev", device, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
            "match", "ip", peerField, address(peer) + "/32", "flowid", peerClass(peer));
      }
    }
  }

  /** The link's classes at {@code mbit}: {@code verb} "add" makes them, "change" sets a new rate. */
  private void classes(String verb, String namespace, String device, int host, int mbit) throws IOException {
    String rate = mbit + "mbit";
    String share = Math.max(1, mbit * 1000L / (hosts - 1)) + "kbit";
    tc(namespace, "class", verb, "dev", device, "parent", "1:", "classid", "1:1", "htb", "rate", rate, "ceil", rate);
    tc(namespace, "class", verb, "dev", device, "parent", "1:1", "classid", "1:ffff", "htb", "rate", "1mbit", "ceil", rate);
    for (int peer = 0; peer < hosts; peer++) {
      if (peer != host) {
        tc(namespace, "class", verb, "dev", device, "parent", "1:1", "classid", peerClass(peer), "htb", "rate", share,
            "ceil", rate);
      }
    }
  }

  private static String peerClass(int peer) {
    return "1:" + Integer.toHexString(peer + 2);
  }

  /** Sets one host's link, both ways, to {@code mbit} (a straggler); the others keep the lab's rate. */
  void setRate(int host, int mbit) throws IOException {
    classes("change", namespace(host), LINK, host, mbit);
    classes("change", SWITCH, "p" + host, host, mbit);
  }

  private static void tc(String namespace, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("tc", "-n", namespace));
    command.addAll(List.of(arguments));
    Shell.run(command);
  }

  private void add(String namespace) throws IOException {
    Shell.run("ip", "netns", "add", namespace);
    made.add(namespace);
  }

  /** Ends every process still in the lab's namespaces (by PID), then deletes the namespaces, links and bridge with them. */
  @Override
  public void close() {
    for (int i = made.size() - 1; i >= 0; i--) {
      remove(made.get(i));
    }
    made.clear();
  }

  private static void removeLeftovers() throws IOException {
    for (String line : Shell.run("ip", "netns", "list").split("\n")) {
      String namespace = line.split(" ")[0];
      if (namespace.startsWith(PREFIX)) {
        System.err.println("lab: removing " + namespace + ", left by an earlier run");
        remove(namespace);
      }
    }
  }

  private static void remove(String namespace) {
    try {
      for (String pid : Shell.run("ip", "netns", "pids", namespace).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException e) {
      System.err.println("lab tear-down: " + e.getMessage());
    }
    Shell.bestEffort("ip", "netns", "del", namespace);
  }
}
