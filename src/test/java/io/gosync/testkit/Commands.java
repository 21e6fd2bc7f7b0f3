package io.gosync.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command for a test and gives its standard output as bytes: names that are not UTF-8
 * cannot go through {@link Path}, so tests make and read such trees with sh, find and rsync.
 * A non-zero exit or a command that hangs fails the test, naming the command and its stderr.
 */
public final class Commands {

  /** Every command here works on small test trees; rsync of the largest takes well under a second. */
  private static final int TIMEOUT_SECONDS = 60;

  private Commands() {
  }

  public static byte[] run(List<String> command) {
    try {
      // Output goes to files, not pipes: a chatty command cannot block on a full pipe.
      Path out = Files.createTempFile("gosync-cmd-", ".out");
      Path err = Files.createTempFile("gosync-cmd-", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + ": no answer within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
              + Files.readString(err, StandardCharsets.UTF_8).strip());
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError(String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(String.join(" ", command) + ": interrupted", e);
    }
  }

  public static byte[] run(String... command) {
    return run(List.of(command));
  }

  /** Runs a POSIX shell script; {@code args} are its $1, $2, ... (never spliced into the script). */
  public static byte[] sh(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Standard output as text (for commands that print ASCII). */
  public static String text(byte[] output) {
    return new String(output, StandardCharsets.UTF_8);
  }
}
