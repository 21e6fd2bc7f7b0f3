package io.gosync.lab;

import io.gosync.testkit.Commands;
import io.gosync.testkit.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loopback's check of a copy: a whole copy passes, and each kind of damage to it fails, naming the path. */
class SourceTreeTest {

  @TempDir
  Path dir;

  @Test
  void anExactCopyPassesAndItsFilesAndBytesAreCounted() throws IOException {
    Path source = Trees.mixed(dir.resolve("source"), 3, 100_000);
    SourceTree tree = SourceTree.of(source);
    tree.verify(copy(source));
    assertEquals(35, tree.files(), "30 small files, empty.txt, bin/tool.sh, secret/key, old.txt and big/one.bin");
    assertEquals(DataSet.fileBytes(source), tree.bytes());
  }

  @Test
  void otherBytesOfTheSameSizeAndMtimeFail() throws IOException {
    Path copy = copy();
    Path file = copy.resolve("big/one.bin");
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, mtime);
    assertFails(copy, "/big/one.bin");
  }

  @Test
  void aModeAnMtimeOrALinkTextThatDiffersFails() throws IOException {
    Path copy = copy();
    Trees.mode(copy.resolve("bin/tool.sh"), "rwxr-xr-x");
    assertFails(copy, "/bin/tool.sh");
    Trees.mode(copy.resolve("bin/tool.sh"), "rwxr-x---");
    Trees.mtime(copy.resolve("old.txt"), 1_000_000_001L);
    assertFails(copy, "/old.txt");
    Trees.mtime(copy.resolve("old.txt"), 1_000_000_000L);
    Files.delete(copy.resolve("dangling"));
    Trees.link(copy, "dangling", "../nowhere/at/al1");
    assertFails(copy, "/dangling");
  }

  @Test
  void aMissingOrAnExtraEntryFails() throws IOException {
    Path copy = copy();
    Files.delete(copy.resolve("empty.txt"));
    assertFails(copy, "/empty.txt");
    Trees.file(copy, "empty.txt", "");
    Files.setLastModifiedTime(copy.resolve("empty.txt"), Files.getLastModifiedTime(dir.resolve("source/empty.txt")));
    Trees.dir(copy, "extra");
    assertFails(copy, "/extra");
  }

  private Path copy() throws IOException {
    return copy(Trees.mixed(dir.resolve("source"), 3, 100_000));
  }

  /**
   * cp -a, as the tree scenario copies its source: it keeps every mtime to the nanosecond. (rsync -a leaves a
   * new entry's mtime alone when its seconds match the source's, as they do for a tree made a moment ago.)
   */
  private Path copy(Path source) {
    Commands.run("cp", "-a", source.toString(), dir.resolve("copy").toString());
    return dir.resolve("copy");
  }

  private void assertFails(Path copy, String path) throws IOException {
    SourceTree tree = SourceTree.of(dir.resolve("source"));
    IOException failure = assertThrows(IOException.class, () -> tree.verify(copy));
    assertTrue(failure.getMessage().contains(path + ": expected"), failure::getMessage);
  }
}
