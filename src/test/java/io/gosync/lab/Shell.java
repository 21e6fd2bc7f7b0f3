package io.gosync.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the lab's set-up commands (ip, tc, mount): bounded in time, and a failure names the command and its stderr. */
final class Shell {

  static final Duration STEP = Duration.ofSeconds(30);

  private Shell() {
  }

  /** Runs a command to completion; a non-zero exit or a timeout is an {@link IOException}. */
  static String run(List<String> command) throws IOException {
    return run(STEP, command);
  }

  /** As {@link #run(List)}, for a longer step (a copy of a large tree, say). */
  static String run(Duration within, List<String> command) throws IOException {
    // Output goes to a file, not a pipe: a chatty command cannot block on a full pipe.
    Path log = Files.createTempFile("gosync-lab-", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        Files.deleteIfExists(log);
        throw new IOException(String.join(" ", command) + ": no answer within " + within.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output.strip());
    }
    return output;
  }

  static String run(String... command) throws IOException {
    return run(List.of(command));
  }

  /** For tear-down: does its best and reports what it could not undo, but never throws. */
  static void bestEffort(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      System.err.println("lab tear-down: " + e.getMessage());
    }
  }
}
