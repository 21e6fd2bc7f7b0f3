package io.gosync.relay;

import io.gosync.budget.Budget;
import io.gosync.config.NodeConfig;
import io.gosync.config.Transport;
import io.gosync.liveness.Silence;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Skipped;
import io.gosync.relay.RelayMessages.Received;
import io.gosync.relay.RelayMessages.SendOutcome;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.HeaderReader;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.TempNames;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Layer two: the data port. On the source it streams a group's files to the top of the relay
 * tree; on every other node it receives a stream, lands it on disk and forwards the same bytes
 * to its children at the same time, reading from its parent only as fast as the disk and the
 * slowest child accept. See verticles-docs/relay.md.
 */
public final class RelayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RelayVerticle.class);
  /**
   * The share of the heap that headers being read may hold together: a sixteenth, 15 MiB of a 256 MiB
   * daemon, room for 31 of the largest headers at once (a real one for 1,000 targets is 66 KB).
   */
  private static final int HEADERS_HEAP_SHARE = 16;

  private final NodeConfig config;
  private final NodeIdentity identity;
  private final TempNames temps;
  private final StallLadder ladder;
  private final RelayMetrics metrics = RelayMetrics.NONE;
  private final Map<String, ReceivePlan> plans = new HashMap<>();
  private final Map<String, LandingSink> receiving = new HashMap<>();
  private final Budget headers = Budget.ofHeap("header bytes in flight", Budget.heap(), HEADERS_HEAP_SHARE, 1);
  private ChildLinks links;
  private EventBus bus;

  public RelayVerticle(NodeConfig config, NodeIdentity identity, TempNames temps) {
    this.config = config;
    this.identity = identity;
    this.temps = temps;
    this.ladder = new StallLadder(config.stallTimeoutMs());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    links = new ChildLinks(vertx.createNetClient(Transport.dataClient(config, identity)), bus, config.name(), ladder);
    NetServer server = vertx.createNetServer(Transport.dataServer(config, identity)).connectHandler(this::onConnection);
    String self = config.name();
    return Future.all(
        server.listen().recover(err -> Future.failedFuture(new IllegalStateException(
            "cannot listen on data port " + config.host() + ":" + config.dataPort() + ": " + err.getMessage()))),
        bus.<ReceivePlan>localConsumer(nodeAddress(self, Constants.RELAY_EXPECT), this::onExpect).completion(),
        bus.<String>localConsumer(nodeAddress(self, Constants.RELAY_FORGET), this::onForget).completion(),
        bus.<SendRequest>localConsumer(nodeAddress(self, Constants.RELAY_SEND), this::onSend).completion());
  }

  private void onExpect(Message<ReceivePlan> message) {
    plans.put(message.body().taskId(), message.body());
    message.reply(null);
  }

  private void onForget(Message<String> message) {
    String taskId = message.body();
    plans.remove(taskId);
    LandingSink sink = receiving.get(taskId);
    if (sink != null) {
      sink.abort("the task was aborted");
    }
    message.reply(null);
  }

  private void onSend(Message<SendRequest> message) {
    SendRequest request = message.body();
    TreeNode root = new TreeNode(config.name(), config.host(), config.dataPort(), request.children());
    StreamHeader header = new StreamHeader(request.taskId(), null, root, root.height());
    links.connect(header, request.children())
        .map(branches -> tee(request.taskId(), branches))
        .compose(tee -> new GroupSender(vertx, request, tee, config.compressionLevel(), metrics).run())
        .onSuccess(message::<SendOutcome>reply)
        .onFailure(err -> message.fail(500, err.getMessage()));
  }

  private void onConnection(NetSocket socket) {
    HeaderReader.read(vertx, socket, config.connectTimeoutMs(), headers)
        .onSuccess(start -> receive(socket, start))
        .onFailure(err -> LOG.warn("refusing a connection from {}: {}", socket.remoteAddress(), err.getMessage()));
  }

  private void receive(NetSocket socket, HeaderReader.Start start) {
    StreamHeader header = start.header();
    String taskId = header.taskId();
    String peer = peerName(socket);
    String refusal = refusal(header, peer);
    if (refusal != null) {
      LOG.warn("task {}: refusing a relay stream from {} at {}: {}", taskId, peer, socket.remoteAddress(), refusal);
      start.rest().close();
      return;
    }
    ReceivePlan plan = plans.remove(taskId);
    LandingSink sink = land(header, plan);
    links.connect(header, header.node().children()).onSuccess(children -> forward(socket, start, sink, children));
  }

  /**
   * Why this stream is not taken, or null: it must be for this node, for a task it was told to expect and
   * receives nothing of yet, and come from one of the parents it was told of, as the peer's certificate
   * names it. A refusal leaves the plan for the real stream.
   */
  private String refusal(StreamHeader header, String peer) {
    ReceivePlan plan = plans.get(header.taskId());
    if (!header.node().name().equals(config.name())) {
      return "it is addressed to " + header.node().name() + ", not to this node";
    }
    if (plan == null || receiving.containsKey(header.taskId())) {
      return "this node was not prepared for it";
    }
    if (!peer.equals(header.parent())) {
      return "its certificate names " + peer + ", but its header names " + header.parent() + " as the parent";
    }
    if (!plan.parents().contains(peer)) {
      return peer + " is not among the nodes this node may be fed by " + plan.parents();
    }
    return null;
  }

  /** The node name the peer's certificate proves, or a note why there is none (a refusal then names it). */
  private static String peerName(NetSocket socket) {
    try {
      return NodeIdentity.peerName(socket.sslSession());
    } catch (SSLPeerUnverifiedException e) {
      return "(no node: " + e.getMessage() + ")";
    }
  }

  /** Lands the stream on this node, with progress reports until it is over, then tells task control. */
  private LandingSink land(StreamHeader header, ReceivePlan plan) {
    String taskId = plan.taskId();
    Landing landing = new Landing(plan.dst(), plan.manifest().singleFile(), taskId, temps, config.durable(),
        config.verifySha256());
    LandingSink sink = new LandingSink(vertx, plan, landing, metrics);
    receiving.put(taskId, sink);
    long progress = vertx.setPeriodic(config.progressIntervalMs(), id -> reportProgress(taskId, sink));
    sink.result().onComplete(done -> {
      if (done.failed()) {
        LOG.warn("task {}: receiving failed: {}", taskId, done.cause().getMessage());
      }
      vertx.cancelTimer(progress);
      reportProgress(taskId, sink);
      receiving.remove(taskId);
      bus.send(nodeAddress(config.name(), Constants.RECEIVED), done.succeeded()
          ? new Received(taskId, true, done.result().files(), done.result().bytes(), done.result().skipped(),
              header.parent(), null)
          : new Received(taskId, false, sink.tally().files(), sink.tally().bytes(), Skipped.NONE, header.parent(),
              done.cause().getMessage()));
    });
    return sink;
  }

  /** Feeds this node's landing and its children from the parent's connection, through one tee. */
  private void forward(NetSocket socket, HeaderReader.Start start, LandingSink sink,
                       List<TeeWriteStream.Branch> children) {
    String taskId = start.header().taskId();
    List<TeeWriteStream.Branch> branches = new ArrayList<>();
    branches.add(new TeeWriteStream.Branch(config.name(), sink));
    branches.addAll(children);
    TeeWriteStream tee = tee(taskId, branches);
    if (start.leftover().length() > 0) {
      tee.write(start.leftover());
    }
    long idle = watchForSilence(taskId, socket, tee, ladder.silenceMs(start.header().treeHeight()));
    start.rest().to(tee).onComplete(piped -> {
      vertx.cancelTimer(idle);
      LOG.debug("task {}: stream from {} ended after {} bytes: {}", taskId,
          socket.remoteAddress(), tee.written(), piped.succeeded() ? "cleanly" : piped.cause());
    });
  }

  private TeeWriteStream tee(String taskId, List<TeeWriteStream.Branch> branches) {
    return Tees.over(vertx, bus, taskId, branches, config.stallTimeoutMs(), metrics);
  }

  /** Closes the connection of a parent that has sent nothing for the limit: it hangs, or is gone. */
  private long watchForSilence(String taskId, NetSocket socket, TeeWriteStream tee, long limitMs) {
    Silence parent = Silence.fromNow();
    return vertx.setPeriodic(Math.max(100, config.stallTimeoutMs() / 4), id -> {
      parent.count(tee.written());
      if (parent.longerThan(limitMs)) {
        LOG.warn("task {}: closing the stream from {}: nothing for {} ms", taskId, socket.remoteAddress(), limitMs);
        vertx.cancelTimer(id);
        socket.close();
      }
    });
  }

  private void reportProgress(String taskId, LandingSink sink) {
    Reports.progress(bus, taskId, config.name(), sink.tally().files(), sink.tally().bytes());
  }
}
