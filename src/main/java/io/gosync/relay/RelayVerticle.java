package io.gosync.relay;

import io.gosync.budget.Budget;
import io.gosync.config.NodeConfig;
import io.gosync.config.Transport;
import io.gosync.liveness.Silence;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.StragglerMove;
import io.gosync.relay.RelayMessages.Received;
import io.gosync.relay.RelayMessages.SendOutcome;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.HeaderReader;
import io.gosync.relay.wire.Inbound;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.TempNames;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Layer two: the data port. On the source it streams a group's files to the top of the relay
 * tree; on every other node it receives a stream, lands it on disk and forwards the same bytes
 * to its children at the same time, reading from its parent only as fast as the disk and the
 * slowest child accept. See verticles-docs/relay.md.
 */
public final class RelayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RelayVerticle.class);
  /** Headers being read hold at most a sixteenth of the heap: 15 MiB of a 256 MiB daemon, room for 31 of the
   * largest at once (a real one for 1,000 targets is 66 KB). */
  private static final int HEADERS_HEAP_SHARE = 16;
  /** The heap the replay windows of all streams may hold: an eighth, 32 MiB of a 256 MiB daemon, one full window. */
  private static final int WINDOWS_HEAP_SHARE = 8;

  private final NodeConfig config;
  private final NodeIdentity identity;
  private final TempNames temps;
  private final StallLadder ladder;
  private final RelayMetrics metrics = RelayMetrics.NONE;
  private final Map<String, ReceivePlan> plans = new HashMap<>();
  private final Map<String, Receiving> receiving = new HashMap<>();
  private final TaskTees tees = new TaskTees();
  private final Budget headers = Budget.ofHeap("header bytes in flight", Budget.heap(), HEADERS_HEAP_SHARE, 1);
  private final Budget windows = Budget.ofHeap("replay window bytes", Budget.heap(), WINDOWS_HEAP_SHARE, 1);
  private final Admission admission;
  private ChildLinks links;
  private EventBus bus;
  private boolean stopping; // its connections close then: what it would say about its children is wrong

  public RelayVerticle(NodeConfig config, NodeIdentity identity, TempNames temps) {
    this.config = config;
    this.identity = identity;
    this.temps = temps;
    this.ladder = new StallLadder(config.stallTimeoutMs());
    this.admission = new Admission(config.name());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    links = new ChildLinks(vertx, vertx.createNetClient(Transport.dataClient(config, identity)), bus, config.name(),
        ladder, config.connectTimeoutMs());
    NetServer server = vertx.createNetServer(Transport.dataServer(config, identity)).connectHandler(this::onConnection);
    String self = config.name();
    return Future.all(
        server.listen().recover(err -> Future.failedFuture(new IllegalStateException(
            "cannot listen on data port " + config.host() + ":" + config.dataPort() + ": " + err.getMessage()))),
        bus.<ReceivePlan>localConsumer(nodeAddress(self, Constants.RELAY_EXPECT), this::onExpect).completion(),
        bus.<String>localConsumer(nodeAddress(self, Constants.RELAY_FORGET), this::onForget).completion(),
        bus.<SendRequest>localConsumer(nodeAddress(self, Constants.RELAY_SEND), this::onSend).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.RELAY_MOVE), this::onMove).completion());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.succeededFuture();
  }

  private void onExpect(Message<ReceivePlan> message) {
    plans.put(message.body().taskId(), message.body());
    message.reply(null);
  }

  private void onForget(Message<String> message) {
    String taskId = message.body();
    plans.remove(taskId);
    Receiving stream = receiving.get(taskId);
    if (stream != null) {
      stream.sink.abort("the task was aborted");
      if (stream.adopterWait >= 0) {
        end(stream);
      }
    }
    message.reply(null);
  }

  private void onSend(Message<SendRequest> message) {
    SendRequest request = message.body();
    TreeNode root = new TreeNode(config.name(), config.host(), config.dataPort(), request.children());
    StreamHeader header = new StreamHeader(request.taskId(), null, root, root.height());
    links.connect(header, request.children())
        .map(branches -> tee(header, branches, () -> !stopping))
        .compose(tee -> Reports.heldWhile(vertx, bus, request.taskId(), config, tee,
            new GroupSender(vertx, request, tee, config.compressionLevel(), metrics).run()))
        .onSuccess(message::<SendOutcome>reply)
        .onFailure(err -> message.fail(500, err.getMessage()));
  }

  /** The source moves a straggler out of this node's tree: the tee drops it, its children are taken over. */
  private void onMove(Message<JsonObject> message) {
    try {
      StragglerMove move = StragglerMove.fromJson(message.body());
      message.reply(tees.move(move.taskId(), move.straggler(), move.why()));
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
    }
  }

  private void onConnection(NetSocket socket) {
    HeaderReader.read(vertx, socket, config.connectTimeoutMs(), headers)
        .onSuccess(start -> receive(socket, start))
        .onFailure(err -> LOG.warn("refusing a connection from {}: {}", socket.remoteAddress(), err.getMessage()));
  }

  private void receive(NetSocket socket, HeaderReader.Start start) {
    StreamHeader header = start.header();
    String taskId = header.taskId();
    String peer = Admission.peerName(socket);
    Receiving current = receiving.get(taskId);
    String refusal = header.relink() && current != null
        ? admission.relinkRefusal(header, peer, current, start.leftover())
        : admission.refusal(header, peer, plans.get(taskId), current != null);
    if (refusal != null) {
      LOG.warn("task {}: refusing a relay stream from {} at {}: {}", taskId, peer, socket.remoteAddress(), refusal);
      start.rest().close();
      return;
    }
    if (current != null) {
      relink(current, socket, start, peer);
      return;
    }
    Receiving stream = land(header, plans.remove(taskId));
    if (header.relink()) {
      socket.write(StreamHeader.relinkAnswer(0)); // taken over before its first parent reached it
      Reports.relinked(bus, taskId, config.name(), peer);
    }
    links.connect(header, header.node().children()).onSuccess(children -> forward(stream, socket, start, children));
  }

  /** Lands the stream on this node, with progress reports until it is over, then tells task control. */
  private Receiving land(StreamHeader header, ReceivePlan plan) {
    String taskId = plan.taskId();
    Landing landing = new Landing(plan.dst(), plan.manifest().singleFile(), taskId, temps, config.durable(),
        config.verifySha256(), learned -> bus.send(nodeAddress(config.name(), Constants.SCAN_LEARN), learned));
    LandingSink sink = new LandingSink(vertx, plan, landing, metrics);
    Receiving stream = new Receiving(plan, sink, header.parent());
    receiving.put(taskId, stream);
    long progress = vertx.setPeriodic(config.progressIntervalMs(), id -> reportProgress(stream));
    sink.result().onComplete(done -> {
      if (done.failed()) {
        LOG.warn("task {}: receiving failed: {}", taskId, done.cause().getMessage());
      }
      vertx.cancelTimer(progress);
      reportProgress(stream);
      receiving.remove(taskId);
      bus.send(nodeAddress(config.name(), Constants.RECEIVED), done.succeeded()
          ? new Received(taskId, true, done.result().files(), done.result().bytes(), done.result().rebuilt(),
              done.result().skipped(), stream.parent, null, false)
          : new Received(taskId, false, sink.tally().files(), sink.tally().bytes(), sink.tally().rebuilt(),
              Skipped.NONE, stream.parent, done.cause().getMessage(), done.cause() instanceof StreamCutOff));
    });
    return stream;
  }

  /** Feeds this node's landing and its children from the parent's connection, through one tee. */
  private void forward(Receiving stream, NetSocket socket, HeaderReader.Start start,
                       List<TeeWriteStream.Branch> children) {
    List<TeeWriteStream.Branch> branches = new ArrayList<>();
    branches.add(new TeeWriteStream.Branch(config.name(), stream.sink));
    branches.addAll(children);
    stream.tee = tee(start.header(), branches, () -> !stopping && stream.isFed());
    if (start.leftover().length() > 0) {
      stream.tee.write(start.leftover());
    }
    stream.silenceWatch = watchForSilence(stream, ladder.silenceMs(start.header().treeHeight()));
    follow(stream, socket, start.rest(), start.header().parent());
  }

  private void follow(Receiving stream, NetSocket socket, Inbound inbound, String parent) {
    stream.parent = parent;
    stream.parentSocket = socket;
    stream.inbound = inbound;
    inbound.to(stream.tee).onComplete(over -> parentGone(stream, inbound, over.cause()));
  }

  /**
   * An ancestor takes the stream over from a parent that died or stalled: the old connection is closed and
   * nothing more of it is taken, the ancestor hears how many body bytes this node has, and goes on from there.
   */
  private void relink(Receiving stream, NetSocket socket, HeaderReader.Start start, String peer) {
    String taskId = stream.plan.taskId();
    Inbound old = stream.inbound;
    stream.inbound = start.rest(); // the old connection's end is no longer this stream's
    if (old != null) {
      old.takenOver();
    }
    if (stream.adopterWait >= 0) {
      vertx.cancelTimer(stream.adopterWait);
      stream.adopterWait = -1;
    }
    long offset = stream.tee.written();
    LOG.info("task {}: {} takes the stream over from {} at byte {}", taskId, peer, stream.parent, offset);
    socket.write(StreamHeader.relinkAnswer(offset));
    Reports.relinked(bus, taskId, config.name(), peer);
    follow(stream, socket, start.rest(), peer);
  }

  /**
   * The parent's connection is over. A stream that came to its end ends the tee; one cut short waits a while
   * for an ancestor to take it over (the ancestor drops the lost parent and connects within about a connect
   * timeout), and ends the tee, failing the landing and the children, if none does.
   */
  private void parentGone(Receiving stream, Inbound inbound, Throwable cause) {
    if (stream.inbound != inbound) {
      return; // replaced by an ancestor's
    }
    stream.inbound = null;
    String taskId = stream.plan.taskId();
    stream.sink.needsNoMore().onSuccess(done -> {
      if (stream.inbound != null) {
        return;
      }
      if (done) {
        end(stream);
        return;
      }
      long waitMs = 2L * config.connectTimeoutMs();
      LOG.info("task {}: the stream from {} was cut at byte {}{}; waiting {} ms for an ancestor to take it over",
          taskId, stream.parent, stream.tee.written(), cause == null ? "" : " (" + cause.getMessage() + ")", waitMs);
      stream.adopterWait = vertx.setTimer(waitMs, id -> {
        stream.adopterWait = -1;
        if (stream.inbound == null) {
          end(stream);
        }
      });
    });
  }

  /** The stream is over for this node and its children: its end, or no ancestor took it over. */
  private void end(Receiving stream) {
    if (stream.adopterWait >= 0) {
      vertx.cancelTimer(stream.adopterWait);
      stream.adopterWait = -1;
    }
    vertx.cancelTimer(stream.silenceWatch);
    stream.tee.end();
  }

  private TeeWriteStream tee(StreamHeader header, List<TeeWriteStream.Branch> branches, BooleanSupplier fed) {
    Relinks relinks = new Relinks(links, header, (long) config.replayWindowMib() << 20, windows, fed);
    return tees.add(header.taskId(), Tees.over(vertx, bus, header.taskId(), branches, config.stallTimeoutMs(),
        metrics, relinks));
  }

  /** Closes the connection of a parent that has sent nothing for the limit: it hangs, or is gone. */
  private long watchForSilence(Receiving stream, long limitMs) {
    Silence parent = Silence.fromNow();
    return vertx.setPeriodic(Math.max(100, config.stallTimeoutMs() / 4), id -> {
      parent.count(stream.tee.written());
      if (stream.inbound != null && parent.longerThan(limitMs)) {
        LOG.warn("task {}: closing the stream from {}: nothing for {} ms", stream.plan.taskId(), stream.parent, limitMs);
        stream.parentSocket.close();
      }
    });
  }

  private void reportProgress(Receiving stream) {
    Reports.progress(bus, stream.plan.taskId(), config.name(), stream.sink.tally().files(),
        stream.sink.tally().bytes(), stream.tee == null ? Map.of() : stream.tee.held());
  }
}
