package io.gosync.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

/** Prints a finished task as one line per target, and says what the exit code is. */
final class Report {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

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
    }
  }

  /** 0 when every target is ok or unchanged, 1 when any failed (or the task is not done). */
  static int exitCode(JsonObject task) {
    return Boolean.TRUE.equals(task.getBoolean("ok")) ? OK : FAILED;
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
