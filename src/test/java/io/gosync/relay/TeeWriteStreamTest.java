package io.gosync.relay;

import io.gosync.relay.wire.TreeNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's tee over fake branches. Every test runs on one Vert.x context, as the relay does,
 * so that the tee's stall timer and the test never touch the tee from two threads.
 */
@ExtendWith(VertxExtension.class)
class TeeWriteStreamTest {

  private static final long STALL_MS = 300;
  /** Long enough that no test here may hit it unless it means to. */
  private static final long NO_STALL_MS = 60_000;

  private final List<String> dropped = new ArrayList<>();

  @Test
  void writesReachEveryBranch(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      Future<Void> first = tee.write(Buffer.buffer("one"));
      Future<Void> second = tee.write(Buffer.buffer("two"));

      assertTrue(first.succeeded() && second.succeeded());
      assertEquals(List.of("one", "two"), a.written);
      assertEquals(List.of("one", "two"), b.written);
      assertFalse(tee.writeQueueFull());
      assertEquals(List.of(), dropped);
    });
  }

  @Test
  void everyWriteIsCountedForEachBranch(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      Map<String, Long> forwarded = new TreeMap<>();
      RelayMetrics metrics = new RelayMetrics() {
        @Override
        public void forwarded(String branch, int bytes) {
          forwarded.merge(branch, (long) bytes, Long::sum);
        }
      };
      TeeWriteStream tee = new TeeWriteStream(vertx, List.of(new TeeWriteStream.Branch("a", new FakeBranch()),
          new TeeWriteStream.Branch("b", new FakeBranch())), NO_STALL_MS, metrics, null, (branch, reason) -> { });

      tee.write(Buffer.buffer("one"));
      tee.write(Buffer.buffer("three"));

      assertEquals(Map.of("a", 8L, "b", 8L), forwarded);
    });
  }

  @Test
  void fullWhileAnyBranchIsFull(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      a.full = true;
      assertTrue(tee.writeQueueFull());
      a.full = false;
      b.full = true;
      assertTrue(tee.writeQueueFull());
      b.full = false;
      assertFalse(tee.writeQueueFull());
    });
  }

  @Test
  void drainsOnlyOnceEveryBranchHasDrained(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      a.fillOnWrite = true;
      b.fillOnWrite = true;
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);
      int[] drains = {0};

      tee.write(Buffer.buffer("x"));
      assertTrue(tee.writeQueueFull());
      tee.drainHandler(v -> drains[0]++);

      a.drain();
      assertEquals(0, drains[0], "drained while b was still full");
      assertTrue(tee.writeQueueFull());

      b.drain();
      assertEquals(1, drains[0]);
      assertFalse(tee.writeQueueFull());

      a.drain();
      b.drain();
      assertEquals(1, drains[0], "one drain per drainHandler call");
    });
  }

  @Test
  void drainWaitsForABranchThatFilledAfterTheHandlerWasSet(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      a.fillOnWrite = true;
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);
      int[] drains = {0};

      tee.write(Buffer.buffer("frame header"));
      tee.drainHandler(v -> drains[0]++);
      // A write to a full stream is allowed (it is queued); this one fills b as well.
      b.fillOnWrite = true;
      tee.write(Buffer.buffer("small file"));

      a.drain();
      assertEquals(0, drains[0], "drained while b was still full");

      b.drain();
      assertEquals(1, drains[0], "b drained last, so the tee must drain now");
    });
  }

  @Test
  void failingBranchIsDroppedAndTheOtherKeepsReceiving(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch good = new FakeBranch();
      FakeBranch bad = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, good, bad);

      tee.write(Buffer.buffer("one"));
      bad.failure = new IOException("No space left on device");
      Future<Void> failing = tee.write(Buffer.buffer("two"));
      tee.write(Buffer.buffer("three"));

      assertTrue(failing.succeeded(), "the tee itself never fails a write");
      assertEquals(List.of("b: No space left on device"), dropped);
      assertEquals(List.of("one", "two", "three"), good.written);
      assertEquals(List.of("one"), bad.written);
      assertFalse(tee.isEmpty());
    });
  }

  @Test
  void droppingEveryBranchLeavesTheTeeEmpty(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      tee.drop("a", "the connection closed");
      tee.drop("b", "the connection closed");
      tee.drop("b", "reported twice");

      assertTrue(tee.isEmpty());
      assertEquals(List.of("a: the connection closed", "b: the connection closed"), dropped);
      assertTrue(tee.write(Buffer.buffer("nobody listens")).succeeded());
    });
  }

  @Test
  void droppingTheFullBranchReleasesTheDrain(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      a.fillOnWrite = true;
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);
      int[] drains = {0};

      tee.write(Buffer.buffer("x"));
      tee.drainHandler(v -> drains[0]++);
      tee.drop("a", "the connection closed");

      assertEquals(1, drains[0]);
      assertFalse(tee.writeQueueFull());
    });
  }

  @Test
  void branchFullLongerThanTheStallTimeoutIsDropped(Vertx vertx, VertxTestContext test) {
    Checkpoint droppedThenDrained = test.checkpoint(2);
    vertx.runOnContext(v -> test.verify(() -> {
      FakeBranch fast = new FakeBranch();
      FakeBranch stuck = new FakeBranch();
      stuck.fillOnWrite = true;
      long start = System.nanoTime();
      TeeWriteStream[] tee = new TeeWriteStream[1];
      tee[0] = new TeeWriteStream(vertx, List.of(new TeeWriteStream.Branch("fast", fast),
          new TeeWriteStream.Branch("stuck", stuck)), STALL_MS, RelayMetrics.NONE, null, (branch, reason) -> test.verify(() -> {
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("stuck", branch.name);
            assertTrue(reason.failed());
            assertTrue(reason.reason().startsWith("stalled"), reason.reason());
            assertTrue(elapsedMs >= STALL_MS, "dropped after " + elapsedMs + " ms, before the stall timeout");
            droppedThenDrained.flag();
          }));

      tee[0].write(Buffer.buffer("x"));
      assertTrue(tee[0].writeQueueFull());
      tee[0].drainHandler(drained -> test.verify(() -> {
        assertFalse(tee[0].writeQueueFull());
        tee[0].write(Buffer.buffer("y"));
        assertEquals(List.of("x", "y"), fast.written);
        assertEquals(List.of("x"), stuck.written);
        droppedThenDrained.flag();
      }));
    }));
  }

  @Test
  void slowButLiveBranchIsNotDropped(Vertx vertx, VertxTestContext test) {
    // Each write fills the branch for 50 ms; the sum is well over the stall timeout, no single wait is.
    long stallMs = 500;
    int writes = 20;
    vertx.runOnContext(v -> test.verify(() -> {
      FakeBranch slow = new FakeBranch();
      slow.fillOnWrite = true;
      FakeBranch fast = new FakeBranch();
      TeeWriteStream tee = tee(vertx, stallMs, fast, slow);
      writeSlowly(vertx, test, tee, slow, 0, writes, () -> {
        assertEquals(List.of(), dropped);
        assertEquals(writes, slow.written.size());
        assertEquals(writes, fast.written.size());
        test.completeNow();
      });
    }));
  }

  private static void writeSlowly(Vertx vertx, VertxTestContext test, TeeWriteStream tee, FakeBranch slow,
                                  int done, int writes, Runnable then) {
    if (done == writes) {
      test.verify(then::run);
      return;
    }
    tee.write(Buffer.buffer("chunk " + done));
    tee.drainHandler(v -> writeSlowly(vertx, test, tee, slow, done + 1, writes, then));
    vertx.setTimer(50, t -> slow.drain());
  }

  @Test
  void afterEndAClosingBranchIsNotReported(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);
      tee.write(Buffer.buffer("all of it"));

      Future<Void> ended = tee.end();
      tee.drop("a", "the connection closed");

      assertTrue(ended.succeeded());
      assertTrue(a.ended && b.ended);
      assertEquals(List.of(), dropped);
    });
  }

  @Test
  void endSucceedsWhenABranchFailsToEnd(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      a.endFailure = new IOException("reset by peer");
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      Future<Void> ended = tee.end();

      assertTrue(ended.succeeded(), String.valueOf(ended.cause()));
      assertTrue(b.ended);
    });
  }

  @Test
  void endDoesNotEndDroppedBranches(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      tee.drop("a", "failed");
      tee.end();

      assertFalse(a.ended);
      assertTrue(b.ended);
    });
  }

  @Test
  void writeQueueMaxSizeReachesEveryBranch(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      FakeBranch a = new FakeBranch();
      FakeBranch b = new FakeBranch();
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, a, b);

      tee.setWriteQueueMaxSize(4096);

      assertEquals(4096, a.maxSize);
      assertEquals(4096, b.maxSize);
    });
  }

  @Test
  void pipedSourceIsPausedWhileOneBranchIsSlow(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      FakeSource source = new FakeSource();
      FakeBranch fast = new FakeBranch();
      FakeBranch slow = new FakeBranch();
      slow.fillOnWrite = true;
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, fast, slow);

      Future<Void> piped = source.pipeTo(tee);
      assertFalse(source.paused, "the pipe should start reading");

      source.emit("one");
      assertTrue(source.paused, "the slow branch is full, so the source must wait");
      assertEquals(List.of("one"), fast.written);

      slow.drain();
      assertFalse(source.paused, "everything drained, so the source must go on");

      source.emit("two");
      assertTrue(source.paused);
      slow.drain();
      assertFalse(source.paused);

      source.end();
      piped.onComplete(test.succeeding(done -> test.verify(() -> {
        assertEquals(List.of("one", "two"), fast.written);
        assertEquals(List.of("one", "two"), slow.written);
        assertTrue(fast.ended && slow.ended);
        assertEquals(List.of(), dropped);
        test.completeNow();
      })));
    }));
  }

  /** While a node below is taken over, the tee holds the stream, and is not empty even with no branch left. */
  @Test
  void aNodeBeingTakenOverHoldsTheTeeUntilItIs(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      TeeWriteStream tee = tee(vertx, NO_STALL_MS);
      int[] drains = {0};
      tee.adoptionStarted();
      tee.drainHandler(v -> drains[0]++);

      assertTrue(tee.writeQueueFull());
      assertFalse(tee.isEmpty());
      tee.adoptionOver();

      assertFalse(tee.writeQueueFull());
      assertTrue(tee.isEmpty());
      assertEquals(1, drains[0]);
    });
  }

  /** How long each branch held the tee back is what tells a straggler: only the full one's time grows. */
  @Test
  void eachBranchCountsTheTimeItWasFull(Vertx vertx, VertxTestContext test) {
    FakeBranch slow = new FakeBranch();
    slow.fillOnWrite = true;
    vertx.runOnContext(v -> {
      TeeWriteStream tee = tee(vertx, NO_STALL_MS, new FakeBranch(), slow);
      tee.write(Buffer.buffer("x"));
      vertx.setTimer(300, id -> test.verify(() -> {
        slow.drain();
        Map<String, Long> held = tee.held();
        assertTrue(held.get("b") >= 300, held.toString());
        assertEquals(0L, held.get("a"), held.toString());
        test.completeNow();
      }));
    });
  }

  /** A straggler is moved out: its branch goes, not as a failure; the local landing cannot be moved. */
  @Test
  void aMovedChildIsDroppedButNotFailed(Vertx vertx, VertxTestContext test) {
    onContext(vertx, test, () -> {
      List<String> drops = new ArrayList<>();
      TreeNode child = new TreeNode("c", "127.0.0.1", 1, List.of());
      TeeWriteStream tee = new TeeWriteStream(vertx, List.of(new TeeWriteStream.Branch("self", new FakeBranch()),
          new TeeWriteStream.Branch("c", new FakeBranch(), 0, child)), NO_STALL_MS, RelayMetrics.NONE, null,
          (branch, dropped) -> drops.add(branch.name + (dropped.failed() ? " failed: " : " moved: ") + dropped.reason()));

      assertFalse(tee.move("self", "slow disk"));
      assertTrue(tee.move("c", "held back 90 %"));
      assertFalse(tee.move("c", "again"));

      assertEquals(List.of("c moved: held back 90 %"), drops);
      assertEquals(List.of("self"), List.copyOf(tee.held().keySet()));
    });
  }

  /** Runs a synchronous test body on a Vert.x context and completes the test when it returns. */
  private static void onContext(Vertx vertx, VertxTestContext test, Runnable body) {
    vertx.runOnContext(v -> test.verify(() -> {
      body.run();
      test.completeNow();
    }));
  }

  /** A tee over branches named a, b, ... in order; drops are recorded as "name: reason". */
  private TeeWriteStream tee(Vertx vertx, long stallMs, FakeBranch... fakes) {
    List<TeeWriteStream.Branch> branches = new ArrayList<>();
    for (int i = 0; i < fakes.length; i++) {
      branches.add(new TeeWriteStream.Branch(String.valueOf((char) ('a' + i)), fakes[i]));
    }
    return new TeeWriteStream(vertx, branches, stallMs, RelayMetrics.NONE,
        null, (branch, reason) -> dropped.add(branch.name + ": " + reason.reason()));
  }

  /** A branch that records what it receives and is full, drained or failing when the test says so. */
  static final class FakeBranch implements WriteStream<Buffer> {
    final List<String> written = new ArrayList<>();
    boolean full;
    boolean fillOnWrite;
    Throwable failure;
    Throwable endFailure;
    boolean ended;
    int maxSize = -1;
    private Handler<Void> drainHandler;

    /** Not full any more; like a socket, tells its drain handler (which stays set). */
    void drain() {
      full = false;
      if (drainHandler != null) {
        drainHandler.handle(null);
      }
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      written.add(data.toString());
      if (fillOnWrite) {
        full = true;
      }
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return endFailure == null ? Future.succeededFuture() : Future.failedFuture(endFailure);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      this.maxSize = maxSize;
      return this;
    }
  }

  /** A source the test feeds by hand; it remembers whether its reader asked it to pause. */
  static final class FakeSource implements ReadStream<Buffer> {
    boolean paused;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    void emit(String text) {
      assertFalse(paused, "emitting while paused");
      handler.handle(Buffer.buffer(text));
    }

    void end() {
      endHandler.handle(null);
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      if (amount > 0) {
        paused = false;
      }
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }
  }
}
