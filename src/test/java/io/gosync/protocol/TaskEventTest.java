package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task report and the task events, as other applications read them: JSON as on the wire, read back. */
class TaskEventTest {

  private static final TaskRequest REQUEST =
      new TaskRequest("deploy-42", "/srv/app", "/srv/app", List.of("web2", "ghost"), true, true, false, 2);
  private static final TargetLine WEB2 = new TargetLine("web2", "web2", TargetStatus.OK, 3, 4096, Rebuilt.NONE, 3, 4096, 1, 2, 0,
      1, "web1", List.of("conf.ini"), Skipped.NONE, "1 differing entries left as they were (no-overwrite): conf.ini");
  private static final TargetLine GHOST = new TargetLine("ghost", null, TargetStatus.FAILED, 0, 0, Rebuilt.NONE, 0, 0, 0, 0, 0, 0,
      null, List.of(), Skipped.NONE, "unknown target");
  private static final TaskReport DONE = new TaskReport("deploy-42", "web1", REQUEST, TaskState.DONE, null, 5L,
      8192L, 0L, 1, 1_700_000_000_000L, 1_700_000_001_000L, false, List.of(WEB2, GHOST));
  private static final TaskReport SCANNING = new TaskReport("deploy-42", "web1", REQUEST, TaskState.SCANNING, null,
      null, null, null, 0, 1_700_000_000_000L, null, false, List.of(GHOST));

  @Test
  void aTargetLineIsWrittenAsOnTheWire() {
    assertEquals("{\"target\":\"ghost\",\"node\":null,\"status\":\"failed\",\"files\":0,\"bytes\":0,\"totalFiles\":0,"
        + "\"totalBytes\":0,\"created\":0,\"deleted\":0,\"fixed\":0,\"conflicts\":0,\"via\":null,"
        + "\"skipped\":0,\"message\":\"unknown target\"}", GHOST.toJson().encode());
    assertEquals(new JsonArray().add("conf.ini"), WEB2.toJson().getJsonArray("conflictPaths"));
    assertEquals(List.of("target", "node", "status", "files", "bytes", "totalFiles", "totalBytes", "created", "deleted",
        "fixed", "conflicts", "via", "conflictPaths", "skipped", "message"), List.copyOf(WEB2.toJson().fieldNames()));
  }

  @Test
  void aPartialLineNamesItsSkippedFilesAndIsReadBack() {
    TargetLine partial = new TargetLine("web3", "web3", TargetStatus.PARTIAL, 2, 10, Rebuilt.NONE, 3, 20, 0, 0, 0, 0, "web2",
        List.of(), Skipped.of(List.of("logs/app.log: changed while it was read")), null);
    JsonObject json = partial.toJson();

    assertEquals("partial", json.getString("status"));
    assertEquals(1, json.getLong("skipped"));
    assertEquals(new JsonArray().add("logs/app.log: changed while it was read"), json.getJsonArray("skippedPaths"));
    assertEquals(partial, TargetLine.fromJson(new JsonObject(json.encode())));
    TaskReport report = new TaskReport("deploy-42", "web1", REQUEST, TaskState.DONE, null, 5L, 8192L, 4096L, 1,
        1_700_000_000_000L, 1_700_000_001_000L, false, List.of(WEB2, partial));
    assertEquals(report, TaskReport.fromJson(new JsonObject(report.toJson().encode())));
  }

  @Test
  void aReportIsWrittenAsOnTheWire() {
    assertEquals(List.of("id", "source", "request", "state", "message", "files", "bytes", "hashedBytes", "groups", "startedAt",
        "finishedAt", "ok", "targets"), List.copyOf(DONE.toJson().fieldNames()));
    JsonObject scanning = SCANNING.toJson();
    assertEquals("scanning", scanning.getString("state"));
    assertTrue(scanning.containsKey("files") && scanning.getValue("files") == null, scanning.encode());
    assertTrue(scanning.containsKey("finishedAt") && scanning.getValue("finishedAt") == null, scanning.encode());
    assertEquals(REQUEST.toJson(), scanning.getJsonObject("request"));
  }

  @Test
  void aReportIsReadBack() {
    for (TaskReport report : List.of(DONE, SCANNING)) {
      assertEquals(report, TaskReport.fromJson(report.toJson()));
      assertEquals(report, TaskReport.fromJson(new JsonObject(report.toJson().encode())));
      String wire = report.toJson().encode();
      assertEquals(wire, TaskReport.fromJson(new JsonObject(wire)).toJson().encode());
    }
  }

  @Test
  void eachEventIsWrittenAsOnTheWire() {
    assertEquals("{\"state\":\"preparing\",\"type\":\"state\",\"taskId\":\"deploy-42\"}",
        new TaskEvent.State("deploy-42", TaskState.PREPARING).toJson().encode());
    assertEquals("{\"target\":\"web2\",\"files\":1,\"bytes\":10,\"totalFiles\":3,\"totalBytes\":4096,"
        + "\"type\":\"progress\",\"taskId\":\"deploy-42\"}",
        new TaskEvent.Progress("deploy-42", "web2", 1, 10, 3, 4096).toJson().encode());
    assertEquals(GHOST.toJson().put("type", "target").put("taskId", "deploy-42"),
        new TaskEvent.Target("deploy-42", GHOST).toJson());
    assertEquals(DONE.toJson().put("type", "done").put("taskId", "deploy-42"),
        new TaskEvent.Done("deploy-42", DONE).toJson());
  }

  @Test
  void eachEventIsReadBack() {
    for (TaskEvent event : List.of(new TaskEvent.State("deploy-42", TaskState.TRANSFERRING),
        new TaskEvent.Target("deploy-42", WEB2), new TaskEvent.Progress("deploy-42", "web2", 1, 10, 3, 4096),
        new TaskEvent.Done("deploy-42", DONE))) {
      assertEquals(event, TaskEvent.fromJson(event.toJson()));
      String wire = event.toJson().encode();
      assertEquals(wire, TaskEvent.fromJson(new JsonObject(wire)).toJson().encode());
    }
  }

  @Test
  void onlyDoneEndsTheStream() {
    assertTrue(new TaskEvent.Done("deploy-42", DONE).ends());
    assertFalse(new TaskEvent.State("deploy-42", TaskState.PREPARING).ends());
    assertFalse(new TaskEvent.Target("deploy-42", WEB2).ends());
  }

  @Test
  void theFirstStreamedEventIsTheTaskTypedByItsState() {
    TaskEvent running = new TaskEvent.Snapshot(SCANNING);
    assertEquals(SCANNING.toJson().put("type", "status"), running.toJson());
    assertFalse(running.ends());
    TaskEvent finished = new TaskEvent.Snapshot(DONE);
    assertEquals(DONE.toJson().put("type", "done"), finished.toJson());
    assertTrue(finished.ends());
  }

  @Test
  void aBadReportFieldIsNamed() {
    assertReportRefused(DONE.toJson().put("state", "sleeping"), "state");
    assertReportRefused(DONE.toJson().put("groups", "one"), "groups");
    assertReportRefused(DONE.toJson().put("ok", "yes"), "ok");
    assertReportRefused(DONE.toJson().put("files", -1), "files");
    assertReportRefused(DONE.toJson().put("targets", new JsonArray().add(1)), "targets[0]");
    assertReportRefused(DONE.toJson().put("request", DONE.toJson().getJsonObject("request").put("src", "rel")),
        "request.src");
    JsonObject line = GHOST.toJson().put("status", "lost");
    assertReportRefused(DONE.toJson().put("targets", new JsonArray().add(WEB2.toJson()).add(line)),
        "targets[1].status");
  }

  @Test
  void aBadEventFieldIsNamed() {
    assertEventRefused(new TaskEvent.State("deploy-42", TaskState.PREPARING).toJson().put("type", "gossip"), "type");
    assertEventRefused(new TaskEvent.State("deploy-42", TaskState.PREPARING).toJson().putNull("taskId"), "taskId");
    assertEventRefused(new TaskEvent.State("deploy-42", TaskState.PREPARING).toJson().put("state", "x"), "state");
    assertEventRefused(new TaskEvent.Progress("deploy-42", "web2", 1, 10, 3, 4096).toJson().put("totalBytes", 1.5),
        "totalBytes");
    assertEventRefused(new TaskEvent.Target("deploy-42", WEB2).toJson().put("node", 2), "node");
  }

  @Test
  void labelsAreTheLowerCaseNames() {
    assertEquals("transferring", TargetStatus.TRANSFERRING.label());
    assertEquals(TargetStatus.UNCHANGED, TargetStatus.fromLabel("unchanged"));
    assertEquals(List.of(TargetStatus.OK, TargetStatus.UNCHANGED, TargetStatus.PARTIAL, TargetStatus.FAILED),
        List.of(TargetStatus.values()).stream().filter(TargetStatus::isFinal).toList());
    assertEquals(List.of(TargetStatus.OK, TargetStatus.UNCHANGED),
        List.of(TargetStatus.values()).stream().filter(TargetStatus::isOk).toList());
    assertEquals(TargetStatus.PARTIAL, TargetStatus.fromLabel("partial"));
    assertEquals("accepted", TaskState.ACCEPTED.label());
    assertEquals(TaskState.DONE, TaskState.fromLabel("done"));
    assertThrows(IllegalArgumentException.class, () -> TaskState.fromLabel("DONE"));
  }

  private static void assertReportRefused(JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskReport.fromJson(json),
        json.encode());
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }

  private static void assertEventRefused(JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskEvent.fromJson(json),
        json.encode());
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }
}
