package io.gosync.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What targets and relays tell a source: JSON as on the wire, read back, and every bad field named. */
class TargetReportTest {

  private static final TargetReport.Result OK =
      new TargetReport.Result("web2", TargetStatus.OK, 3, 4096, Rebuilt.NONE, 1, "web1", Skipped.NONE, null);

  private static final TargetReport.Result PARTIAL = new TargetReport.Result("web3", TargetStatus.PARTIAL, 2, 10, Rebuilt.NONE, 0,
      "web2", Skipped.of(List.of("a.txt: No such file or directory", "b.bin: changed while it was read")), null);

  @Test
  void eachReportIsWrittenAsOnTheWire() {
    assertEquals("{\"phase\":\"diffing\",\"type\":\"live\",\"target\":\"web2\"}",
        new TargetReport.Live("web2", "diffing").toJson().encode());
    assertEquals("{\"files\":3,\"bytes\":4096,\"held\":{\"web3\":1200},\"type\":\"progress\",\"target\":\"web2\"}",
        new TargetReport.Progress("web2", 3, 4096, Map.of("web3", 1200L)).toJson().encode());
    assertEquals("{\"status\":\"ok\",\"files\":3,\"bytes\":4096,\"fixedDirectories\":1,\"via\":\"web1\","
        + "\"skipped\":0,\"message\":null,\"type\":\"result\",\"target\":\"web2\"}", OK.toJson().encode());
    assertEquals("{\"status\":\"partial\",\"files\":2,\"bytes\":10,\"fixedDirectories\":0,\"via\":\"web2\","
        + "\"skipped\":2,\"skippedPaths\":[\"a.txt: No such file or directory\",\"b.bin: changed while it was read\"],"
        + "\"message\":null,\"type\":\"result\",\"target\":\"web3\"}", PARTIAL.toJson().encode());
    assertEquals("{\"status\":\"failed\",\"message\":\"disk full\",\"type\":\"result\",\"target\":\"web3\"}",
        TargetReport.Result.failed("web3", "disk full").toJson().encode());
    assertEquals("{\"message\":\"ended early\",\"type\":\"cutOff\",\"target\":\"web3\"}",
        new TargetReport.CutOff("web3", "ended early").toJson().encode());
  }

  /** Issue 13: a result says what the target built from old versions, and a bad count is named. */
  @Test
  void aRebuiltResultCarriesItsFilesAndKeptBytes() {
    TargetReport.Result rebuilt = new TargetReport.Result("web2", TargetStatus.OK, 3, 4096, new Rebuilt(1, 4096, 1 << 20),
        1, "web1", Skipped.NONE, null);
    assertEquals("{\"status\":\"ok\",\"files\":3,\"bytes\":4096,\"fixedDirectories\":1,\"via\":\"web1\","
        + "\"rebuiltFiles\":1,\"deltaBytes\":4096,\"keptBytes\":1048576,\"skipped\":0,\"message\":null,\"type\":\"result\","
        + "\"target\":\"web2\"}", rebuilt.toJson().encode());
    assertEquals(rebuilt, TargetReport.fromJson(rebuilt.toJson()));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> TargetReport.fromJson(rebuilt.toJson().put("rebuiltFiles", 0)));
    assertEquals("rebuiltFiles: 0 files cannot have come as 4096 bytes and kept 1048576", refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TargetReport.fromJson(rebuilt.toJson().put("keptBytes", -1)));
  }

  @Test
  void eachReportIsReadBack() {
    for (TargetReport report : List.of(new TargetReport.Live("web2", "queued"), new TargetReport.Progress("web2", 1, 2, Map.of("web3", 7L)),
        OK, new TargetReport.Result("web2", TargetStatus.UNCHANGED, 0, 0, Rebuilt.NONE, 0, null, Skipped.NONE,
            "2 differing entries left"), PARTIAL,
        TargetReport.Result.failed("web3", "disk full"), new TargetReport.CutOff("web3", "ended early"))) {
      assertEquals(report, TargetReport.fromJson(report.toJson()));
      assertEquals(report, TargetReport.fromJson(new JsonObject(report.toJson().encode())));
    }
  }

  @Test
  void aFailedResultNeedsNoMessageAndCarriesNoCounts() {
    TargetReport.Result failed = (TargetReport.Result) TargetReport.fromJson(
        new JsonObject().put("type", "result").put("target", "web3").put("status", "failed").put("files", 9));
    assertEquals(TargetReport.Result.failed("web3", null), failed);
    assertNull(failed.message());
  }

  @Test
  void theTypeAndTheTargetAreNamed() {
    assertRefused(null, "report");
    assertRefused(new JsonObject().put("type", "live").put("phase", "queued"), "target");
    assertRefused(new JsonObject().put("target", 5).put("type", "live").put("phase", "queued"), "target");
    assertRefused(new JsonObject().put("target", "web2").put("phase", "queued"), "type");
    assertRefused(new JsonObject().put("target", "web2").put("type", "gossip"), "type");
  }

  @Test
  void aBadFieldOfEachReportIsNamed() {
    assertRefused(new TargetReport.Live("web2", "queued").toJson().put("phase", 3), "phase");
    assertRefused(new TargetReport.Progress("web2", 1, 2, Map.of("web3", 7L)).toJson().put("files", "1"), "files");
    assertRefused(new TargetReport.Progress("web2", 1, 2, Map.of("web3", 7L)).toJson().put("bytes", -2), "bytes");
    JsonObject progress = new TargetReport.Progress("web2", 1, 2, Map.of()).toJson();
    assertRefused(progress.copy().put("held", 5), "held");
    assertRefused(progress.copy().put("held", new JsonObject().put("web3", -1)), "held.web3");
    assertRefused(progress.copy().put("held", new JsonObject().put("web3", "7")), "held.web3");
    assertRefused(progress.copy().put("held", new JsonObject().put("n".repeat(64), 7)), "held");
    assertRefused(progress.copy().put("held", new JsonObject().put("", 7)), "held");
    JsonObject many = new JsonObject();
    for (int i = 0; i <= TargetReport.Progress.MAX_HELD; i++) {
      many.put("n" + i, i);
    }
    assertRefused(progress.copy().put("held", many), "held");
    assertEquals(Map.of(), ((TargetReport.Progress) TargetReport.fromJson(without(progress, "held"))).held());
    assertRefused(OK.toJson().put("status", "great"), "status");
    assertRefused(OK.toJson().put("status", "transferring"), "status");
    assertRefused(without(OK.toJson(), "files"), "files");
    assertRefused(without(OK.toJson(), "bytes"), "bytes");
    assertRefused(without(OK.toJson(), "fixedDirectories"), "fixedDirectories");
    assertRefused(OK.toJson().put("via", 1), "via");
    assertRefused(OK.toJson().put("message", List.of()), "message");
    assertRefused(without(OK.toJson(), "skipped"), "skipped");
    assertRefused(OK.toJson().put("skipped", 1), "skipped");
    assertRefused(without(PARTIAL.toJson(), "skipped"), "skipped");
    assertRefused(PARTIAL.toJson().put("skipped", 0), "skippedPaths");
    assertRefused(PARTIAL.toJson().put("skippedPaths", List.of(1)), "skippedPaths");
    assertRefused(PARTIAL.toJson().put("skipped", 30).put("skippedPaths", List.of("x".repeat(21).split(""))),
        "skippedPaths");
    assertRefused(without(new TargetReport.CutOff("web3", "ended early").toJson(), "message"), "message");
    assertRefused(new TargetReport.CutOff("web3", "ended early").toJson().put("message", 7), "message");
  }

  @Test
  void skippedFilesAreCountedAllButListedOnlyUpToTheBound() {
    Skipped many = Skipped.NONE;
    for (int i = 0; i < 30; i++) {
      many = many.and("f" + i + ": gone");
    }
    assertEquals(30, many.count());
    assertEquals(Skipped.LISTED, many.paths().size());
    assertEquals("f0: gone", many.paths().get(0));
    assertEquals(many, Skipped.of(many.paths()).and(new Skipped(10, List.of())));
    Skipped some = many;
    assertThrows(IllegalArgumentException.class, () -> new TargetReport.Result("web2", TargetStatus.OK, 0, 0, Rebuilt.NONE, 0, null,
        some, null));
    assertThrows(IllegalArgumentException.class, () -> new TargetReport.Result("web2", TargetStatus.PARTIAL, 0, 0, Rebuilt.NONE, 0,
        null, Skipped.NONE, null));
  }

  @Test
  void aResultIsFinal() {
    assertThrows(IllegalArgumentException.class,
        () -> new TargetReport.Result("web2", TargetStatus.PREPARED, 0, 0, Rebuilt.NONE, 0, null, Skipped.NONE, null));
  }

  private static JsonObject without(JsonObject json, String field) {
    json.remove(field);
    return json;
  }

  private static void assertRefused(JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetReport.fromJson(json),
        String.valueOf(json));
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }
}
