package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.List;

/** Prints a finished task as one line per target, and says what the exit code is. */
final class Report {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  /**
   * Done, nothing failed, but some source files were skipped (unreadable, vanished or changed while
   * read): rsync's "partial transfer due to error", so scripts that already know rsync's 23 read it
   * alike. Not 24, which rsync keeps for vanished files alone and which scripts often ignore as
   * harmless: a skip here may be an unreadable file, and the target then lacks it.
   */
  static final int PARTIAL = 23;

  private Report() {
  }

  static void print(JsonObject task, PrintStream out) {
    out.printf("task %s  %s -> %s  (%s files, %s from %s)%n", task.getString("id"),
        task.getJsonObject("request").getString("src"), task.getJsonObject("request").getString("dst"),
        task.getValue("files", "?"), bytes(task.getLong("bytes")), task.getString("source"));
    out.printf("%-20s %-9s %7s %10s %7s  %-12s %s%n", "TARGET", "STATUS", "FILES", "BYTES", "DELETED", "VIA", "MESSAGE");
    for (Object item : task.getJsonArray("targets")) {
      JsonObject target = (JsonObject) item;
      String message = target.getString("message");
      String via = target.getString("via");
      out.printf("%-20s %-9s %7d %10s %7d  %-12s %s%n", target.getString("target"), target.getString("status"),
          target.getLong("files", 0L), bytes(target.getLong("bytes", 0L)), target.getLong("deleted", 0L),
          via == null ? "-" : via, message == null ? "" : message);
      printRebuilt(target, out);
      printSkipped(target, out);
    }
  }

  /** Under a target's line, the files it built from old versions it held: what of theirs came, and what was kept. */
  private static void printRebuilt(JsonObject target, PrintStream out) {
    long files = target.getLong("rebuiltFiles", 0L);
    if (files > 0) {
      out.printf("  rebuilt: %d %s from %s old version: %s came, %s kept%n", files, files == 1 ? "file" : "files",
          files == 1 ? "its" : "their", bytes(target.getLong("deltaBytes", 0L)), bytes(target.getLong("keptBytes", 0L)));
    }
  }

  /** Under a partial target's line, the files it did not get, and how many more there were. */
  private static void printSkipped(JsonObject target, PrintStream out) {
    JsonArray named = target.getJsonArray("skippedPaths", new JsonArray());
    named.forEach(path -> out.printf("  skipped: %s%n", path));
    long more = target.getLong("skipped", 0L) - named.size();
    if (more > 0) {
      out.printf("  skipped: … and %d more%n", more);
    }
  }

  /** 0 when every target is ok or unchanged; 23 when done and the others are partial; else 1. */
  static int exitCode(JsonObject task) {
    if (Boolean.TRUE.equals(task.getBoolean("ok"))) {
      return OK;
    }
    boolean noneFailed = task.getJsonArray("targets").stream()
        .map(target -> ((JsonObject) target).getString("status"))
        .allMatch(status -> List.of("ok", "unchanged", "partial").contains(status));
    return "done".equals(task.getString("state")) && noneFailed ? PARTIAL : FAILED;
  }

  static String bytes(Long value) {
    if (value == null) {
      return "?";
    }
    if (value < 1024) {
      return value + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double scaled = value;
    int unit = -1;
    while (scaled >= 1024 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return String.format("%.1f %s", scaled, units[unit]);
  }
}
