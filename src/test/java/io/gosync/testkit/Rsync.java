package io.gosync.testkit;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gosync.testkit.Commands.text;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * rsync as the oracle of an exact tree: what {@code rsync -a} (with {@code --delete} where gosync
 * had delete on) makes of a destination is what gosync must make of it, and two trees are the
 * same when {@code rsync -anic --delete} (itemized, by checksum, dry run) finds nothing to do.
 * rsync works below its destination by relative names, so it handles names that are not UTF-8 and
 * absolute paths longer than PATH_MAX. Nothing rsync -a keeps is left out of the comparison, a
 * symlink's own mtime included.
 */
public final class Rsync {

  private Rsync() {
  }

  /** Fails (never skips) when rsync is missing: without the oracle these tests would prove nothing. */
  public static void require() {
    try {
      Commands.sh("command -v rsync");
    } catch (AssertionError e) {
      throw new AssertionError("rsync is not installed: the exactness tests compare every tree against rsync -a;"
          + " install it (apt-get install rsync, as .ci/run does)", e);
    }
  }

  /**
   * Builds the oracle of a directory sync: {@code oracle} starts as a copy of the destination as it
   * is now (hard links kept, so that a case about them means the same there), then rsync brings it
   * to {@code src}. Call it before gosync touches the destination.
   */
  public static Path oracle(Path src, Path dstBefore, Path oracle, boolean delete) {
    if (Files.exists(dstBefore, LinkOption.NOFOLLOW_LINKS)) {
      copy(dstBefore, oracle);
    }
    List<String> command = new ArrayList<>(List.of("rsync", "-a"));
    if (delete) {
      command.add("--delete");
    }
    command.addAll(List.of(src + "/", oracle + "/"));
    Commands.run(command);
    return oracle;
  }

  /** A copy of a tree as it is now, hard links kept: the state to compare with after a test has run. */
  public static Path copy(Path from, Path to) {
    Commands.run("rsync", "-aH", from + "/", to + "/");
    return to;
  }

  /** The oracle of a single-file sync: rsync copies {@code src} onto {@code oracle}, whatever is there. */
  public static Path oracleFile(Path src, Path oracle) {
    Commands.run("rsync", "-a", src.toString(), oracle.toString());
    return oracle;
  }

  /** Whole trees: names as bytes, kinds, bytes by checksum, modes, mtimes, link texts, nothing extra. */
  public static void assertSameTree(Path expected, Path actual) {
    differences(List.of("rsync", "-anic", "--delete", expected + "/", actual + "/"), expected, actual);
  }

  /** One entry compared the same way, e.g. a single-file destination without its parent. */
  public static void assertSameEntry(Path expected, Path actual) {
    differences(List.of("rsync", "-anic", expected.toString(), actual.toString()), expected, actual);
  }

  private static void differences(List<String> command, Path expected, Path actual) {
    String itemized = text(Commands.run(command));
    if (!itemized.isEmpty()) {
      fail("rsync finds differences from " + expected + " to " + actual + " (" + String.join(" ", command) + ";"
          + " >f+++ a file missing, >fc. other bytes, .f..t mtime, .f...p mode, cL link text, *deleting an extra):\n"
          + itemized);
    }
  }
}
