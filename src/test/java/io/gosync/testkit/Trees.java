package io.gosync.testkit;

import io.gosync.scan.TreeSnapshot;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Building trees on disk and comparing whole trees: bytes, modes, mtimes, link targets, nothing extra. */
public final class Trees {

  private Trees() {
  }

  public static Path file(Path root, String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  public static Path file(Path root, String path, byte[] content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  public static Path dir(Path root, String path) throws IOException {
    return Files.createDirectories(root.resolve(path));
  }

  public static Path link(Path root, String path, String target) throws IOException {
    Path link = root.resolve(path);
    Files.createDirectories(link.getParent());
    return Files.createSymbolicLink(link, Path.of(target));
  }

  public static void mode(Path path, String permissions) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  public static void mtime(Path path, long epochSeconds) throws IOException {
    Files.setLastModifiedTime(path, FileTime.from(epochSeconds, TimeUnit.SECONDS));
  }

  public static byte[] random(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A tree with a bit of everything: nested and empty directories, modes, mtimes, links, a big file. */
  public static Path mixed(Path root, long seed, int bigFileBytes) throws IOException {
    Random random = new Random(seed);
    for (int i = 0; i < 30; i++) {
      file(root, "a/b" + i % 3 + "/f" + i + ".bin", random(random.nextLong(), random.nextInt(70_000)));
    }
    file(root, "empty.txt", "");
    mode(file(root, "bin/tool.sh", "#!/bin/sh\necho tool\n"), "rwxr-x---");
    mode(file(root, "secret/key", "k=v\n"), "rw-------");
    mtime(file(root, "old.txt", "from 2001\n"), 1_000_000_000L);
    dir(root, "empty/dir/deep");
    mode(dir(root, "locked"), "r-xr-xr-x");
    link(root, "a/link-to-f1", "b1/f1.bin");
    link(root, "dangling", "../nowhere/at/all");
    file(root, "big/one.bin", random(seed, bigFileBytes));
    return root;
  }

  public static void assertSameTree(Path expected, Path actual) throws IOException {
    List<String> differences = TreeSnapshot.of(expected).differences(TreeSnapshot.of(actual));
    if (!differences.isEmpty()) {
      fail(differences.size() + " differences between " + expected + " and " + actual + ":\n  "
          + String.join("\n  ", differences.subList(0, Math.min(20, differences.size()))));
    }
  }

  /** The shape of gosync's temporary files (.gosync-<task>-<index>-<tag>.tmp), valid tag or not. */
  public static boolean isTemporary(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(".gosync-") && name.endsWith(".tmp");
  }

  public static void assertNoTemporaryFiles(Path root) throws IOException {
    List<Path> found = temporaryFiles(root);
    if (!found.isEmpty()) {
      fail("temporary files left behind: " + found);
    }
  }

  /**
   * What a cut-off landing may leave of a large file: at most its partial file ({@code partial}, beside it), with
   * the start of {@code content} and less than all of it, and no other temporary file. @return the bytes it holds
   */
  public static long assertOnlyPartialOf(Path root, Path partial, byte[] content) throws IOException {
    List<Path> found = temporaryFiles(root);
    if (!found.isEmpty() && !found.equals(List.of(partial))) {
      fail("temporary files left behind besides " + partial.getFileName() + ": " + found);
    }
    if (found.isEmpty()) {
      return 0;
    }
    byte[] held = Files.readAllBytes(partial);
    assertTrue(held.length < content.length, "the partial file holds " + held.length + " of " + content.length);
    assertArrayEquals(Arrays.copyOf(content, held.length), held, "the partial file holds other bytes");
    return held.length;
  }

  private static List<Path> temporaryFiles(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.exists(root)) {
      return found;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (isTemporary(file)) {
          found.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return found;
  }
}
