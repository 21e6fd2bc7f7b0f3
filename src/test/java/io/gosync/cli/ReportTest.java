package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's report of a finished task: its exit code and its lines, from the task JSON alone. */
class ReportTest {

  private static JsonObject line(String target, String status) {
    return new JsonObject().put("target", target).put("status", status).put("files", 1).put("bytes", 10)
        .put("deleted", 0).put("via", "web1").put("skipped", 0);
  }

  private static JsonObject task(String state, boolean ok, JsonObject... lines) {
    return new JsonObject().put("id", "t1").put("source", "web1").put("state", state).put("ok", ok)
        .put("request", new JsonObject().put("src", "/srv/app").put("dst", "/srv/app")).put("files", 3).put("bytes", 30)
        .put("targets", new JsonArray(List.of(lines)));
  }

  private static JsonObject partial(String target, long count, String... named) {
    return line(target, "partial").put("skipped", count).put("skippedPaths", new JsonArray(List.of(named)));
  }

  @Test
  void aPartialTaskHasAnExitCodeOfItsOwnAndAFailureStillWins() {
    assertEquals(Report.OK, Report.exitCode(task("done", true, line("web2", "ok"), line("web3", "unchanged"))));
    assertEquals(Report.PARTIAL, Report.exitCode(task("done", false, line("web2", "ok"), partial("web3", 1, "a: x"))));
    assertEquals(23, Report.PARTIAL);
    assertEquals(Report.FAILED, Report.exitCode(task("done", false, partial("web2", 1, "a: x"), line("web3", "failed"))));
    assertEquals(Report.FAILED, Report.exitCode(task("transferring", false, partial("web2", 1, "a: x"),
        line("web3", "transferring"))));
  }

  @Test
  void aPartialTargetsLineIsFollowedByTheFilesItLacks() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(task("done", false, partial("web3", 22, "logs/app.log: changed while it was read",
        "secret.key: cannot be read: permission denied")), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertTrue(out.contains("web3                 partial"), out);
    assertTrue(out.contains("\n  skipped: logs/app.log: changed while it was read\n"
        + "  skipped: secret.key: cannot be read: permission denied\n  skipped: … and 20 more\n"), out);
  }

  /** Issue 13: the choice of delta or whole file is visible: what a target built from old versions, and kept. */
  @Test
  void aTargetThatRebuiltFilesSaysHowManyAndWhatTheyKept() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(task("done", true, line("web2", "ok").put("rebuiltFiles", 2).put("deltaBytes", 1L << 20)
        .put("keptBytes", 3L << 20),
        line("web3", "ok")), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertTrue(out.contains("\n  rebuilt: 2 files from their old version: 1.0 MiB came, 3.0 MiB kept\nweb3 "), out);
    assertEquals(1, out.split("rebuilt:", -1).length - 1, out);
  }
}
