package io.gosync.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The delta benchmark's changes do what its figures say they did: the bytes they report, and only those. */
class DataSetTest {

  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  @Test
  void overwritingTheMiddleChangesExactlyTheBlockThatHoldsItAndKeepsTheSize() throws IOException {
    byte[] before = bigFileOnly(3 * MIB);
    long changed = data(3 * MIB).overwriteMiddle(dir, 1);
    byte[] after = Files.readAllBytes(dir.resolve(DataSet.BIG));
    assertEquals(MIB, changed);
    assertEquals(before.length, after.length);
    assertArrayEquals(Arrays.copyOfRange(before, 0, MIB), Arrays.copyOfRange(after, 0, MIB));
    assertFalse(Arrays.equals(Arrays.copyOfRange(before, MIB, 2 * MIB), Arrays.copyOfRange(after, MIB, 2 * MIB)));
    assertArrayEquals(Arrays.copyOfRange(before, 2 * MIB, 3 * MIB), Arrays.copyOfRange(after, 2 * MIB, 3 * MIB));
  }

  @Test
  void eachRoundOverwritesTheMiddleWithOtherBytes() throws IOException {
    bigFileOnly(2 * MIB);
    data(2 * MIB).overwriteMiddle(dir, 1);
    byte[] first = Files.readAllBytes(dir.resolve(DataSet.BIG));
    data(2 * MIB).overwriteMiddle(dir, 2);
    assertFalse(Arrays.equals(first, Files.readAllBytes(dir.resolve(DataSet.BIG))));
  }

  @Test
  void anInsertionAddsItsBytesAtItsOffsetAndMovesTheRest() throws IOException {
    byte[] before = bigFileOnly(MIB);
    long added = data(MIB).insertNearStart(dir, 1);
    byte[] after = Files.readAllBytes(dir.resolve(DataSet.BIG));
    int end = DataSet.INSERT_AT + DataSet.INSERTED;
    assertEquals(DataSet.INSERTED, added);
    assertEquals(before.length + DataSet.INSERTED, after.length);
    assertArrayEquals(Arrays.copyOfRange(before, 0, DataSet.INSERT_AT), Arrays.copyOfRange(after, 0, DataSet.INSERT_AT));
    assertArrayEquals(Arrays.copyOfRange(before, DataSet.INSERT_AT, before.length), Arrays.copyOfRange(after, end, after.length));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "the file written beside was renamed over the big file");
    }
  }

  @Test
  void aChangeReportsTheBytesOfTheSmallFilesItRewroteAndTheAppendedMebibyte() throws IOException {
    DataSet data = new DataSet(MIB, 300, 1024, 4096, 0, 0, 5);
    data.write(dir);
    Map<Path, byte[]> before = smallFiles();
    long changed = data.change(dir, 1);
    long rewritten = 0;
    for (Map.Entry<Path, byte[]> file : smallFiles().entrySet()) {
      rewritten += Arrays.equals(before.get(file.getKey()), file.getValue()) ? 0 : file.getValue().length;
    }
    assertEquals(MIB + rewritten, changed);
    assertEquals(2L * MIB, Files.size(dir.resolve(DataSet.BIG)));
  }

  private Map<Path, byte[]> smallFiles() throws IOException {
    Map<Path, byte[]> files = new HashMap<>();
    try (Stream<Path> paths = Files.walk(dir.resolve("src"))) {
      for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        files.put(path, Files.readAllBytes(path));
      }
    }
    return files;
  }

  private byte[] bigFileOnly(long bytes) throws IOException {
    data(bytes).write(dir);
    return Files.readAllBytes(dir.resolve(DataSet.BIG));
  }

  private static DataSet data(long bigBytes) {
    return new DataSet(bigBytes, 0, 0, 0, 0, 0, 3);
  }
}
