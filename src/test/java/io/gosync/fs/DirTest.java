package io.gosync.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirTest {

  @TempDir
  Path tmp;

  @Test
  void aNameThatIsNotUtf8KeepsItsBytes() throws IOException {
    String name = Names.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9});
    try (Dir dir = Dir.open(tmp, false)) {
      dir.mkdir(name, 0700);
      dir.symlink("link", name);
      assertEquals(List.of(name), dir.list().stream().filter(n -> !n.equals("link")).toList());
      assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, Names.encode(dir.readlink("link")));
      assertTrue(dir.stat(name).isDirectory());
      assertEquals("caf\\xe9", Names.display(name));
    }
  }

  @Test
  void aLinkWhereADirectoryIsExpectedIsRefusedNotFollowed() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("canary"), "keep");
    Path dst = Files.createDirectory(tmp.resolve("dst"));
    Files.createSymbolicLink(dst.resolve("d"), outside);
    try (Dir dir = Dir.open(dst, false)) {
      FileSystemException refused = assertThrows(FileSystemException.class, () -> dir.dir("d"));
      assertTrue(refused.getMessage().contains("not a real directory"), refused.getMessage());
      assertEquals(1, dir.deleteTree("d"));
    }
    assertEquals("keep", Files.readString(outside.resolve("canary")));
    assertFalse(Files.exists(dst.resolve("d"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void openingAPathRefusesALinkOnTheWay() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("real/below"));
    Files.createSymbolicLink(tmp.resolve("link"), real.getParent());
    assertThrows(FileSystemException.class, () -> Dir.open(tmp.resolve("link/below"), false));
    try (Dir made = Dir.open(tmp.resolve("new/a/b"), true)) {
      assertTrue(made.stat().isDirectory());
    }
  }

  @Test
  void createNeverGoesThroughAnExistingLink() throws IOException {
    Path target = Files.writeString(tmp.resolve("target"), "keep");
    Files.createSymbolicLink(tmp.resolve("temp"), target);
    try (Dir dir = Dir.open(tmp, false)) {
      assertThrows(FileSystemException.class, () -> dir.create("temp", 0600));
    }
    assertEquals("keep", Files.readString(target));
  }

  @Test
  void aFileWrittenThroughItsHandleLandsByRename() throws IOException {
    try (Dir dir = Dir.open(tmp, false); OpenFile file = dir.create(".temp", 0600)) {
      Files.writeString(file.path(), "bytes");
      Timestamp farFuture = new Timestamp(13_569_465_600L, 123_456_789); // 2400-01-01: after 2262, within ext4 (2446)
      file.setMode(0640);
      file.setTime(farFuture);
      file.sync();
      dir.rename(".temp", dir, "final");
      dir.sync();
      Stat stat = dir.stat("final");
      assertEquals(farFuture, stat.mtime());
      assertEquals(0640, stat.mode());
      assertEquals(5, stat.size());
      assertNull(dir.stat(".temp"));
    }
    assertEquals("bytes", Files.readString(tmp.resolve("final")));
  }

  @Test
  void readingRefusesWhatIsNotARegularFile() throws IOException {
    Files.createSymbolicLink(tmp.resolve("link"), Files.writeString(tmp.resolve("file"), "x"));
    try (Dir dir = Dir.open(tmp, false)) {
      assertThrows(FileSystemException.class, () -> dir.open("link"));
      assertThrows(IllegalArgumentException.class, () -> dir.open("a/b"));
      try (OpenFile file = dir.open("file")) {
        assertEquals("x", Files.readString(file.path()));
      }
    }
  }
}
