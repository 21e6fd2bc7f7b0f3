package io.gosync.cluster;

import com.hazelcast.cluster.Member;
import io.gosync.protocol.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The node map as it stands for Hazelcast's current membership: only entries kept under the id of a live
 * member, and naming that id, grouped by node name, each name's entries newest member first. The map carries
 * no trust and may outlive what it describes (an entry of a crashed member, one brought back by a split-brain
 * merge); the membership is Hazelcast's own, the same on every member, and cannot be written through the map.
 */
final class NodeList {

  private static final Logger LOG = LoggerFactory.getLogger(NodeList.class);

  private final Map<String, List<NodeInfo>> byName;
  /** Member id to when its daemon started. */
  private final Map<String, Long> started;

  private NodeList(Map<String, List<NodeInfo>> byName, Map<String, Long> started) {
    this.byName = byName;
    this.started = started;
  }

  static NodeList of(Map<String, JsonObject> entries, Collection<Member> members) {
    Map<String, Long> started = members.stream()
        .collect(Collectors.toMap(member -> member.getUuid().toString(), NodeList::started));
    Comparator<NodeInfo> newestFirst = Comparator.<NodeInfo>comparingLong(node -> started.get(node.clusterNodeId()))
        .reversed().thenComparing(NodeInfo::clusterNodeId);
    Map<String, List<NodeInfo>> byName = new TreeMap<>();
    entries.forEach((key, entry) -> {
      NodeInfo node = readable(entry);
      if (node != null && key.equals(node.clusterNodeId()) && started.containsKey(key)) {
        byName.computeIfAbsent(node.name(), name -> new ArrayList<>()).add(node);
      }
    });
    byName.values().forEach(claims -> claims.sort(newestFirst));
    return new NodeList(byName, started);
  }

  /** The keys of entries that belong to no live member: what is left of members gone. */
  static Set<String> departed(Map<String, JsonObject> entries, Collection<Member> members) {
    Set<String> live = members.stream().map(member -> member.getUuid().toString()).collect(Collectors.toSet());
    return entries.keySet().stream().filter(key -> !live.contains(key)).collect(Collectors.toSet());
  }

  /** When the member's daemon started (its {@code gosync.started} attribute); 0, the oldest, if it says nothing. */
  static long started(Member member) {
    try {
      return Long.parseLong(member.getAttribute(HazelcastSetup.STARTED_ATTRIBUTE));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  boolean claimed(String name) {
    return byName.containsKey(name);
  }

  /** The entries of that name whose members started after {@code since}, newest first. */
  List<NodeInfo> newerThan(String name, long since) {
    return byName.getOrDefault(name, List.of()).stream().filter(node -> started.get(node.clusterNodeId()) > since)
        .toList();
  }

  /**
   * One entry per name, sorted by name: the only one, or, where several live members claim a name (a node
   * restarted before Hazelcast declared its old member dead, or a forgery), the newest whose data address
   * answers with a certificate of that name; the newest if none does (a node whose data port is not open yet).
   */
  Future<List<NodeInfo>> believed(NameProof proof) {
    List<Future<NodeInfo>> chosen = byName.values().stream().map(claims -> newestProven(claims, proof)).toList();
    return Future.all(chosen).map(all -> chosen.stream().map(Future::result).toList());
  }

  private static Future<NodeInfo> newestProven(List<NodeInfo> claims, NameProof proof) {
    if (claims.size() == 1) {
      return Future.succeededFuture(claims.get(0));
    }
    return firstProven(claims, proof).map(proven -> {
      if (proven != null) {
        return proven;
      }
      LOG.warn("node map: {} entries claim {}, and no data address answers with its certificate; listing the newest,"
          + " {}", claims.size(), claims.get(0).name(), claims.get(0).toJson().encode());
      return claims.get(0);
    });
  }

  /** The first of these entries whose data address answers with a certificate of its name, or null. */
  static Future<NodeInfo> firstProven(List<NodeInfo> claims, NameProof proof) {
    Future<NodeInfo> sofar = Future.succeededFuture(null);
    for (NodeInfo claim : claims) {
      sofar = sofar.compose(found -> found != null ? Future.succeededFuture(found)
          : proof.proves(claim).map(proven -> proven ? claim : null));
    }
    return sofar;
  }

  /**
   * The entry if it is a node. Hazelcast carries no trust, so anything may be in the map: an entry that is
   * not a node is left out (and named in the log), not fatal.
   */
  private static NodeInfo readable(JsonObject entry) {
    try {
      return NodeInfo.fromJson(entry);
    } catch (IllegalArgumentException e) {
      LOG.warn("node map: leaving out an entry that is not a node ({}): {}", e.getMessage(), entry);
      return null;
    }
  }
}
