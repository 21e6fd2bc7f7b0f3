package io.gosync.scan;

import io.gosync.protocol.Partials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preparing finds what a cut-off task left of a large file (its temporary file, named by content and final name)
 * and has it sent from there; whatever else of that shape is ours goes, and a user's file of that shape stays.
 */
class PartialFilesTest {

  private static final TempNames TEMPS = new TempNames(new byte[32]);
  private static final TreeWalk WALK = new TreeWalk(ForkJoinPool.commonPool());

  @TempDir
  Path base;
  private Path src;
  private Path dst;
  private byte[] big;

  @BeforeEach
  void trees() throws IOException {
    src = base.resolve("src");
    dst = base.resolve("dst");
    big = new byte[3 << 20];
    new Random(7).nextBytes(big);
    Files.createDirectories(src.resolve("d"));
    Files.write(src.resolve("d/big.bin"), big);
    Files.writeString(src.resolve("d/small.txt"), "small");
    Files.createDirectories(dst.resolve("d"));
  }

  @Test
  void aNeededFileIsSentFromWhereWhatAnEarlierTaskLeftOfItStops() throws IOException {
    Manifest manifest = scan(src);
    Path partial = partialOf(dst.resolve("d"), "big.bin", manifest);
    Files.write(partial, Arrays.copyOf(big, 1_000_000));

    PrepareOutcome outcome = prepare(manifest, dst);

    int index = indexOf(manifest, "d/big.bin");
    assertEquals(Partials.of(Map.of(index, 1_000_000L)), outcome.partials());
    assertEquals(big.length - 1_000_000 + "small".length(), outcome.needBytes());
    assertTrue(Files.exists(partial), "the partial is kept for the stream");
  }

  @Test
  void aPartialOfAFileThatIsAlreadyRightGoes() throws IOException {
    Files.write(dst.resolve("d/big.bin"), big);
    Files.writeString(dst.resolve("d/small.txt"), "small");
    Manifest manifest = scan(src);
    copyTimes();
    Path partial = partialOf(dst.resolve("d"), "big.bin", manifest);
    Files.write(partial, Arrays.copyOf(big, 1_000_000));

    PrepareOutcome outcome = prepare(manifest, dst);

    assertEquals(0, outcome.needFiles());
    assertEquals(Partials.NONE, outcome.partials());
    assertFalse(Files.exists(partial));
  }

  /** The source's file changed since: the partial of its old content is another name, stale, and goes. */
  @Test
  void aPartialOfOtherContentGoesAndTheFileIsSentWhole() throws IOException {
    Manifest before = scan(src);
    Path stale = partialOf(dst.resolve("d"), "big.bin", before);
    Files.write(stale, Arrays.copyOf(big, 1_000_000));
    big[0] ^= 1;
    Files.write(src.resolve("d/big.bin"), big);

    PrepareOutcome outcome = prepare(scan(src), dst);

    assertEquals(Partials.NONE, outcome.partials());
    assertEquals(big.length + "small".length(), outcome.needBytes());
    assertFalse(Files.exists(stale));
  }

  @Test
  void aPartialAsLongAsTheFileOrWithAnotherNameIsNotResumedAndGoes() throws IOException {
    Manifest manifest = scan(src);
    Path whole = partialOf(dst.resolve("d"), "big.bin", manifest);
    Files.write(whole, big);

    assertEquals(Partials.NONE, prepare(manifest, dst).partials());
    assertFalse(Files.exists(whole));

    Path elsewhere = Files.write(base.resolve("elsewhere"), Arrays.copyOf(big, 1_000_000));
    Files.createLink(whole, elsewhere);

    assertEquals(Partials.NONE, prepare(manifest, dst).partials());
    assertFalse(Files.exists(whole));
    assertArrayEquals(Arrays.copyOf(big, 1_000_000), Files.readAllBytes(elsewhere));
  }

  /** A user's file of the same shape without this node's tag is theirs: it stays (an extra only under delete). */
  @Test
  void aUsersFileOfThatShapeIsNotTouched() throws IOException {
    Manifest manifest = scan(src);
    String ours = partialOf(dst.resolve("d"), "big.bin", manifest).getFileName().toString();
    Path theirs = Files.writeString(dst.resolve("d").resolve(ours.substring(0, ours.length() - 12) + "00000000.tmp"), "x");

    PrepareOutcome outcome = prepare(manifest, dst);

    assertEquals(Partials.NONE, outcome.partials());
    assertEquals("x", Files.readString(theirs));
  }

  @Test
  void aSingleFileTaskResumesToo() throws IOException {
    Manifest manifest = scan(src.resolve("d/big.bin"));
    Path target = base.resolve("copy.bin");
    Files.write(partialOf(base, "copy.bin", manifest), Arrays.copyOf(big, 2_000_000));

    PrepareOutcome outcome = prepare(manifest, target);

    assertEquals(Partials.of(Map.of(0, 2_000_000L)), outcome.partials());
    assertEquals(big.length - 2_000_000, outcome.needBytes());
  }

  private static Manifest scan(Path root) throws IOException {
    return new SourceScanner(new HashCache(100), WALK).scan(root, "src").manifest();
  }

  private static PrepareOutcome prepare(Manifest manifest, Path dst) throws IOException {
    return new TargetPreparer(new HashCache(100), WALK, TEMPS, true, dst, manifest, false, true).prepare();
  }

  private static Path partialOf(Path dir, String name, Manifest manifest) {
    Entry entry = manifest.entries().stream().filter(e -> e.kind() == Entry.Kind.FILE && e.size() > 1 << 20)
        .findFirst().orElseThrow();
    return dir.resolve(TEMPS.partial(name, entry.hash()));
  }

  private static int indexOf(Manifest manifest, String path) {
    for (int i = 0; i < manifest.size(); i++) {
      if (manifest.entry(i).path().equals(path)) {
        return i;
      }
    }
    throw new AssertionError(path);
  }

  private void copyTimes() throws IOException {
    for (String path : new String[] {"d/big.bin", "d/small.txt"}) {
      Files.setLastModifiedTime(dst.resolve(path), Files.getLastModifiedTime(src.resolve(path)));
    }
  }
}
