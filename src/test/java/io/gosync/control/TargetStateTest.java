package io.gosync.control;

import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;
import io.gosync.protocol.PrepareReply;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.TargetLine;
import io.gosync.protocol.TargetReport.Result;
import io.gosync.protocol.TargetStatus;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target's transitions as the source sees them: in order, and never out of a final status. */
class TargetStateTest {

  private static final String WEB2 = "web2";

  private static PrepareReply reply() {
    BitSet need = new BitSet();
    need.set(1);
    return new PrepareReply(NeedList.of(need), Partials.NONE, NeedList.NONE, 1, 100, 2, 0, 1, 1, List.of("conf.ini"), "10.0.0.2", 7000);
  }

  @Test
  void aTargetGoesFromPendingToOkAndItsLineSaysWhatHappened() {
    TargetState target = TargetState.resolved("10.0.0.2:7000", WEB2);
    assertEquals(TargetStatus.PENDING, target.status());

    assertTrue(target.preparing());
    assertTrue(target.prepared(reply()));
    assertEquals(reply().need(), target.need());
    assertTrue(target.transferring());
    assertTrue(target.progress(1, 50));
    assertTrue(target.finished(new Result("web2", TargetStatus.OK, 1, 100, Rebuilt.NONE, 2, "web1", Skipped.NONE, null),
        Skipped.NONE));

    assertEquals(new TargetLine("10.0.0.2:7000", "web2", TargetStatus.OK, 1, 100, Rebuilt.NONE, 1, 100, 2, 0, 3, 1, "web1",
        List.of("conf.ini"), Skipped.NONE, null), target.line());
    assertEquals("web2", target.name());
  }

  /** Files the source's scan skipped make an ok or unchanged result partial, listed before the target's own. */
  @Test
  void filesSkippedByTheScanMakeEveryResultButAFailurePartial() {
    Skipped atSource = Skipped.of(List.of("secret.key: permission denied"));
    TargetState unchanged = TargetState.resolved("web2", WEB2);
    TargetState partial = TargetState.resolved("web3", "web3");
    TargetState failed = TargetState.resolved("web4", "web4");

    assertTrue(unchanged.finished(new Result("web2", TargetStatus.UNCHANGED, 0, 0, Rebuilt.NONE, 0, null, Skipped.NONE, null),
        atSource));
    assertTrue(partial.finished(new Result("web3", TargetStatus.PARTIAL, 1, 5, Rebuilt.NONE, 0, "web1",
        Skipped.of(List.of("log.txt: changed while it was read")), null), atSource));
    assertTrue(failed.finished(Result.failed("web4", "disk full"), atSource));

    assertEquals(TargetStatus.PARTIAL, unchanged.line().status());
    assertEquals(atSource, unchanged.line().skipped());
    assertEquals(new Skipped(2, List.of("secret.key: permission denied", "log.txt: changed while it was read")),
        partial.line().skipped());
    assertEquals(TargetStatus.FAILED, failed.line().status());
    assertEquals(Skipped.NONE, failed.line().skipped());
  }

  @Test
  void aFinalTargetRefusesEveryTransition() {
    TargetState target = TargetState.resolved("web2", WEB2);
    assertTrue(target.failed("did not answer in time"));

    assertFalse(target.preparing());
    assertFalse(target.prepared(reply()));
    assertFalse(target.transferring());
    assertFalse(target.progress(5, 5));
    assertFalse(target.finished(new Result("web2", TargetStatus.OK, 1, 1, Rebuilt.NONE, 0, "web1", Skipped.NONE, "late"),
        Skipped.NONE));
    assertFalse(target.failed("again"));

    TargetLine line = target.line();
    assertEquals(TargetStatus.FAILED, line.status());
    assertEquals("did not answer in time", line.message());
    assertEquals(0, line.files());
    assertNull(line.via());
  }

  @Test
  void aFailedResultFailsTheTargetWithItsMessageOrWithFailed() {
    TargetState told = TargetState.resolved("web2", WEB2);
    assertTrue(told.finished(Result.failed("web2", "disk full"), Skipped.NONE));
    assertEquals("disk full", told.line().message());

    TargetState untold = TargetState.resolved("web2", WEB2);
    assertTrue(untold.finished(Result.failed("web2", null), Skipped.NONE));
    assertEquals(TargetStatus.FAILED, untold.status());
    assertEquals("failed", untold.line().message());
  }

  @Test
  void anUnresolvedTargetIsFailedFromTheStart() {
    TargetState target = TargetState.unresolved("ghost", "unknown target: no live node …");

    assertTrue(target.isFinal());
    assertEquals("ghost", target.name());
    assertNull(target.node());
    assertNull(target.line().node());
    assertEquals("unknown target: no live node …", target.line().message());
    assertFalse(target.runsOn("ghost"));
  }

  @Test
  void onlyATargetThatWasAskedSomethingCanFallSilent() {
    TargetState target = TargetState.resolved("web2", WEB2);
    assertFalse(target.silentFor(-1), "a pending target is not waited for");
    target.preparing();
    assertTrue(target.silentFor(-1));
    target.failed("gone");
    assertFalse(target.silentFor(-1), "a final target is not waited for");
  }
}
