package io.gosync.relay;

import io.gosync.fs.Dir;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;
import io.gosync.protocol.BlockList;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Skipped;
import io.gosync.relay.wire.DeltaBlocks;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.Manifest;
import io.gosync.scan.ScanMessages.Bases;
import io.gosync.scan.TempNames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Checksum;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertOnlyPartialOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The landing sink parses a body however the network splits it, and ends only after its end
 * frame; when it fails it leaves no temporary file behind.
 */
@ExtendWith(VertxExtension.class)
class LandingSinkTest {

  private static final TempNames TEMPS = new TempNames(new byte[32]);

  @TempDir
  Path dst;
  private RelayMetrics metrics = RelayMetrics.NONE;
  private boolean verifySha256;
  private Bases bases = Bases.NONE;

  private static Entry file(String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return Entry.file(path, bytes.length, Timestamp.ofEpochNanos(1_000_000_000_000_000L), 0644,
        HexFormat.of().formatHex(FileFacts.sha256().digest(bytes)));
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @ValueSource(ints = {1, 3, 9, 46, 47, 1000})
  void landsEveryFileWhateverTheSplitsAndEndsCleanly(int piece, Vertx vertx) throws Exception {
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755),
        file("a.txt", "first file\n"), file("b.txt", "second\n"), file("c.txt", "")));
    BitSet need = new BitSet();
    need.set(1, 4);
    Buffer body = Buffer.buffer();
    for (int i = 1; i < 4; i++) {
      String text = i == 1 ? "first file\n" : i == 2 ? "second\n" : "";
      body.appendBuffer(Frames.file(i, manifest.entry(i), 0, false)).appendString(text)
          .appendBuffer(check(i, text.getBytes(StandardCharsets.UTF_8)));
    }
    body.appendBuffer(Frames.end(3));

    // On a Vert.x context, as in the relay verticle; written faster than anything can land.
    Promise<StreamTally.Summary> landed = Promise.promise();
    vertx.runOnContext(v -> {
      LandingSink sink = new LandingSink(vertx, new ReceivePlan("t1", "src", dst, manifest, NeedList.of(need), Bases.NONE, List.of("src")),
          new Landing(dst, false, "t1", TEMPS, true, false, learned -> { }), RelayMetrics.NONE);
      for (int at = 0; at < body.length(); at += piece) {
        sink.write(body.slice(at, Math.min(body.length(), at + piece)));
      }
      sink.end();
      sink.result().onComplete(landed);
    });
    StreamTally.Summary summary = landed.future().await(20, TimeUnit.SECONDS);

    assertEquals(3, summary.files());
    assertEquals("first file\n", Files.readString(dst.resolve("a.txt")));
    assertEquals("second\n", Files.readString(dst.resolve("b.txt")));
    assertEquals("", Files.readString(dst.resolve("c.txt")));
  }

  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void aLargeFileLandsBesideSmallOnesWhateverTheSplits(boolean compressed, Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH + 17);
    byte[] small = content(100);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("a.bin", small), file("b.bin", large),
        file("c.bin", small)));
    Buffer body = body(manifest, compressed, small, large, small);

    for (int piece : new int[] {7, 65_536}) {
      StreamTally.Summary summary = land(vertx, manifest, body, piece, null).await(60, TimeUnit.SECONDS);

      assertEquals(3, summary.files());
      assertArrayEquals(large, Files.readAllBytes(dst.resolve("b.bin")));
      assertArrayEquals(small, Files.readAllBytes(dst.resolve("c.bin")));
      assertNoTemporaryFiles(dst);
    }
  }

  /**
   * Aborted while the large file's temporary file opens, is written, or is waited on: nothing under a real name,
   * and what came of the large file is kept under its partial name for a later task, the small one's goes.
   */
  @ParameterizedTest(name = "after {0} ms")
  @ValueSource(ints = {0, 300})
  void anAbortedLandingKeepsOnlyTheStartOfTheLargeFile(int afterMs, Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("a.bin", content(100)), file("b.bin", large)));
    Buffer body = body(manifest, false, content(100), large);

    Future<StreamTally.Summary> landed = land(vertx, manifest, body.slice(0, body.length() - 1000), 65_536, afterMs);
    Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));

    assertEquals("the task was aborted", failure.getMessage());
    assertFalse(Files.exists(dst.resolve("b.bin")));
    assertOnlyPartialOf(dst, dst.resolve(TEMPS.partial("b.bin", manifest.entry(2).hash())), large);
  }

  @Test
  void aStreamCutInALargeFileKeepsWhatCameOfIt(Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("b.bin", large)));
    Buffer body = body(manifest, true, large);

    Future<StreamTally.Summary> landed = land(vertx, manifest, body.slice(0, body.length() / 2), 65_536, null);
    Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));

    assertEquals("the stream from the parent ended before its end frame", failure.getMessage());
    assertInstanceOf(StreamCutOff.class, failure, "cut off: the source may feed this node again");
    assertFalse(Files.exists(dst.resolve("b.bin")));
    long held = assertOnlyPartialOf(dst, dst.resolve(TEMPS.partial("b.bin", manifest.entry(1).hash())), large);
    assertTrue(held >= LandingFile.WRITE_BATCH, "kept " + held + " bytes"); // every byte that came, batch or not
  }

  @Test
  void eachLandedFileIsCounted(Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 1);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("a.bin", content(10)), file("b.bin", large),
        file("c.bin", new byte[0])));
    AtomicLong files = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    metrics = new RelayMetrics() {
      @Override
      public void landed(long size) {
        files.incrementAndGet();
        bytes.addAndGet(size);
      }
    };

    land(vertx, manifest, body(manifest, false, content(10), large, new byte[0]), 65_536, null)
        .await(30, TimeUnit.SECONDS);

    assertEquals(3, files.get());
    assertEquals(10 + large.length, bytes.get());
  }

  /**
   * The source skips a small file it could not read (instead of its frame) and a large one it found
   * changed (after its bytes): the others land, the summary names both, and no temporary file is left.
   */
  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void skippedFilesAreNotLandedAndTheRestIs(boolean compressed, Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 2 * LandingFile.WRITE_BATCH);
    byte[] changed = content(large.length + 1);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("a.bin", content(10)),
        file("b.bin", large), file("c.bin", content(20)), file("d.bin", content(30))));
    Buffer sent = body(manifest, compressed, content(10), Arrays.copyOf(changed, large.length), content(20),
        content(30));
    int aEnds = frameLength(manifest, compressed, 10);
    int bEnds = sent.length() - frameLength(manifest, compressed, 20) - frameLength(manifest, compressed, 30)
        - Frames.end(4).length();
    int bDataEnds = bEnds - Frames.check(2, 0).length();
    // The skip comes instead of b's check.
    Buffer body = Frames.skip(1, "vanished before it was read").appendBuffer(sent.slice(aEnds, bDataEnds))
        .appendBuffer(Frames.skip(2, "changed while it was read")).appendBuffer(sent.slice(bEnds, sent.length()));

    for (int piece : new int[] {5, 65_536}) {
      StreamTally.Summary summary = land(vertx, manifest, body, piece, null).await(60, TimeUnit.SECONDS);

      assertEquals(2, summary.files());
      assertEquals(new Skipped(2, List.of("a.bin: vanished before it was read", "b.bin: changed while it was read")),
          summary.skipped());
      assertFalse(Files.exists(dst.resolve("a.bin")));
      assertFalse(Files.exists(dst.resolve("b.bin")));
      assertArrayEquals(content(30), Files.readAllBytes(dst.resolve("d.bin")));
      assertNoTemporaryFiles(dst);
    }
  }

  /** Files whose bytes were damaged on the way, so that they do not match their check, fail and leave nothing. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {Frames.SMALL_FILE, Frames.SMALL_FILE + LandingFile.WRITE_BATCH})
  void aFileDamagedOnTheWayFails(int size, Vertx vertx) throws Exception {
    byte[] sent = content(size);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("b.bin", sent), file("c.bin", content(20))));
    Buffer body = body(manifest, false, sent, content(20));
    int damaged = 1 + Frames.FILE_HEADER_BYTES + 12_345;
    body.setByte(damaged, (byte) (body.getByte(damaged) + 1));

    Future<StreamTally.Summary> landed = land(vertx, manifest, body, 65_536, null);
    Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));

    assertTrue(failure.getMessage().startsWith("cannot land b.bin: checksum mismatch for b.bin: the stream damaged it"),
        failure.getMessage());
    assertFalse(Files.exists(dst.resolve("b.bin")));
    assertNoTemporaryFiles(dst);
  }

  /**
   * The trade-off of the check (see Frames): bytes that are not the manifest's file but come with their own
   * CRC32C, as only a certified peer that forges them could send, land by default, and are refused with
   * verifySha256.
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {5000, Frames.SMALL_FILE + LandingFile.WRITE_BATCH})
  void verifySha256RefusesForgedBytesThatCarryTheirOwnCheck(int size, Vertx vertx) throws Exception {
    byte[] original = content(size);
    byte[] forged = original.clone();
    forged[size / 2] ^= 1;
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("f.bin", original)));

    land(vertx, manifest, body(manifest, false, forged), 65_536, null).await(30, TimeUnit.SECONDS);
    assertArrayEquals(forged, Files.readAllBytes(dst.resolve("f.bin")));

    Files.delete(dst.resolve("f.bin"));
    verifySha256 = true;
    Future<StreamTally.Summary> refused = land(vertx, manifest, body(manifest, false, forged), 65_536, null);
    Throwable failure = assertThrows(Exception.class, () -> refused.await(30, TimeUnit.SECONDS));
    assertTrue(failure.getMessage().contains("hash mismatch for f.bin: the bytes that came are not the manifest's file"),
        failure.getMessage());
    assertFalse(Files.exists(dst.resolve("f.bin")));
    assertNoTemporaryFiles(dst);
  }

  /** A skip for a file the need-list does not ask for, or for one that already came, is a bad stream. */
  @Test
  void aSkipOfAFileNotAskedForIsABadStream(Vertx vertx) throws Exception {
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("a.bin", content(10))));
    for (Buffer body : List.of(Frames.skip(0, "x"), Frames.skip(5, "x"),
        body(manifest, false, content(10)).slice(0, frameLength(manifest, false, 10)).copy().appendBuffer(Frames.skip(1, "x")))) {
      Future<StreamTally.Summary> landed = land(vertx, manifest, body, 65_536, null);
      Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));
      assertTrue(failure.getMessage().startsWith("bad stream: file index"), failure.getMessage());
      assertFalse(failure instanceof StreamCutOff, "a bad stream is no cut: feeding it again would not help");
    }
  }

  // ---- resuming what an earlier task left of a large file ----

  /**
   * The start of the large file is there under its partial name, as a cut-off task left it, and the stream sends
   * the rest from {@code from}: the file lands whole, verified by its SHA-256. A partial longer than where the
   * stream goes on (another member of the group held less) is cut there first.
   */
  @ParameterizedTest(name = "compressed {0}, partial of {1} bytes, sent from {2}")
  @CsvSource({"false, 1500000, 1500000", "true, 1500000, 1500000", "false, 2000000, 1100000"})
  void theRestOfALargeFileLandsAfterTheStartAnEarlierTaskLeft(boolean compressed, int held, int from, Vertx vertx)
      throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH + 17);
    Manifest manifest = oneLargeFile(large);
    Files.write(partialOf(manifest), Arrays.copyOf(large, held));

    StreamTally.Summary summary = land(vertx, manifest, resumed(manifest, large, from, compressed), 65_536, null)
        .await(30, TimeUnit.SECONDS);

    assertEquals(1, summary.files());
    assertArrayEquals(large, Files.readAllBytes(dst.resolve("b.bin")));
    assertNoTemporaryFiles(dst);
  }

  /** The start an earlier task left is not the file's (a bit flipped on disk): it does not land, and the partial goes. */
  @Test
  void aResumedFileWhoseStartIsNotItsIsRefusedByItsHash(Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH);
    Manifest manifest = oneLargeFile(large);
    byte[] start = Arrays.copyOf(large, 1_500_000);
    start[1000] ^= 1;
    Files.write(partialOf(manifest), start);

    Future<StreamTally.Summary> landed = land(vertx, manifest, resumed(manifest, large, 1_500_000, false), 65_536, null);
    Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));

    assertEquals("cannot land b.bin: hash mismatch for b.bin: with the start an earlier task left of it, it is not "
        + "the manifest's file", failure.getMessage());
    assertFalse(Files.exists(dst.resolve("b.bin")));
    assertNoTemporaryFiles(dst);
  }

  /** Sent from a byte the partial does not reach, or with no partial, or one with another name: nothing lands. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "shorter | cannot resume b.bin from byte 1500000: what an earlier task left of it holds only 1000 bytes",
      "missing | No such file or directory",
      "linked  | cannot resume b.bin from byte 1500000: what an earlier task left of it has other names"})
  void aResumeThatTheDiskCannotBackFailsTheFileAndChangesNothingElse(String partial, String words, Vertx vertx)
      throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH);
    Manifest manifest = oneLargeFile(large);
    Path other = Files.write(dst.resolve("elsewhere.bin"), Arrays.copyOf(large, 1_600_000));
    switch (partial) {
      case "shorter" -> Files.write(partialOf(manifest), Arrays.copyOf(large, 1000));
      case "linked" -> Files.createLink(partialOf(manifest), other);
      default -> { }
    }

    Future<StreamTally.Summary> landed = land(vertx, manifest, resumed(manifest, large, 1_500_000, false), 65_536, null);
    Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));

    assertTrue(failure.getMessage().startsWith("cannot create a temporary file for b.bin"), failure.getMessage());
    assertTrue(failure.getMessage().contains(words), failure.getMessage());
    assertFalse(Files.exists(dst.resolve("b.bin")));
    assertArrayEquals(Arrays.copyOf(large, 1_600_000), Files.readAllBytes(other));
  }

  /** A stream that sends the file whole replaces whatever an earlier task left of it. */
  @Test
  void aFileSentWholeReplacesTheStartAnEarlierTaskLeft(Vertx vertx) throws Exception {
    byte[] large = content(Frames.SMALL_FILE + 3 * LandingFile.WRITE_BATCH);
    Manifest manifest = oneLargeFile(large);
    Files.write(partialOf(manifest), new byte[1_500_000]);

    land(vertx, manifest, body(manifest, false, large), 65_536, null).await(30, TimeUnit.SECONDS);

    assertArrayEquals(large, Files.readAllBytes(dst.resolve("b.bin")));
    assertNoTemporaryFiles(dst);
  }

  private static Manifest oneLargeFile(byte[] large) {
    return Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("b.bin", large)));
  }

  private Path partialOf(Manifest manifest) {
    return dst.resolve(TEMPS.partial("b.bin", manifest.entry(1).hash()));
  }

  /** What a source sends for the one file of {@link #oneLargeFile} from byte {@code from}. */
  private static Buffer resumed(Manifest manifest, byte[] large, int from, boolean compressed) {
    Buffer rest = Buffer.buffer(Arrays.copyOfRange(large, from, large.length));
    return Frames.file(1, manifest.entry(1), from, compressed)
        .appendBuffer(compressed ? Frames.chunk(rest, 1) : rest)
        .appendBuffer(check(1, rest.getBytes())).appendBuffer(Frames.end(1));
  }

  /** The bytes of one file's frames in {@link #body}: the manifest's entry of that size is the one meant. */
  private static int frameLength(Manifest manifest, boolean compressed, int size) {
    return 1 + Frames.FILE_HEADER_BYTES + (compressed ? Frames.chunk(Buffer.buffer(content(size)), 1).length() : size)
        + Frames.check(0, 0).length();
  }

  private static Buffer check(int index, byte[] content) {
    Checksum crc = Frames.crc32c();
    crc.update(content);
    return Frames.check(index, (int) crc.getValue());
  }

  /** What a source sends for every file of the manifest, with these contents; large ones in 1 MiB chunks. */
  private static Buffer body(Manifest manifest, boolean compressed, byte[]... contents) {
    Buffer body = Buffer.buffer();
    for (int i = 1; i < manifest.size(); i++) {
      Buffer data = Buffer.buffer(contents[i - 1]);
      body.appendBuffer(Frames.file(i, manifest.entry(i), 0, compressed));
      for (int at = 0; compressed && at < data.length(); at += Frames.SMALL_FILE) {
        body.appendBuffer(Frames.chunk(data.slice(at, Math.min(data.length(), at + Frames.SMALL_FILE)), 1));
      }
      if (!compressed) {
        body.appendBuffer(data);
      }
      body.appendBuffer(check(i, contents[i - 1]));
    }
    return body.appendBuffer(Frames.end(manifest.size() - 1));
  }

  /**
   * Writes the body in pieces to a sink for every file of the manifest, on a Vert.x context as in
   * the relay verticle, then ends it; or, given {@code abortAfterMs}, aborts it that much later.
   */
  private Future<StreamTally.Summary> land(Vertx vertx, Manifest manifest, Buffer body, int piece,
                                           Integer abortAfterMs) {
    BitSet need = new BitSet();
    need.set(1, manifest.size());
    Promise<StreamTally.Summary> landed = Promise.promise();
    vertx.runOnContext(v -> {
      LandingSink sink = new LandingSink(vertx, new ReceivePlan("t1", "src", dst, manifest, NeedList.of(need), bases, List.of("src")),
          new Landing(dst, false, "t1", TEMPS, true, verifySha256, learned -> { }), metrics);
      for (int at = 0; at < body.length(); at += piece) {
        sink.write(body.slice(at, Math.min(body.length(), at + piece)));
      }
      if (abortAfterMs == null) {
        sink.end();
      } else if (abortAfterMs == 0) {
        sink.abort("the task was aborted");
      } else {
        vertx.setTimer(abortAfterMs, id -> sink.abort("the task was aborted"));
      }
      sink.result().onComplete(landed);
    });
    return landed.future();
  }

  /**
   * Issue 13: a delta is built from the old version under the final name and the blocks that came, verified whole;
   * one that sends other blocks than this node lacks, or a file it has no old version of, is a bad stream that
   * leaves the old version as it was. Without the check, the file built of the wrong blocks failed its SHA-256 and
   * the node was fed again; a hostile relay could have it so forever.
   */
  @ParameterizedTest(name = "blocks {0}")
  @ValueSource(strings = {"1", "2", "none"})
  void aDeltaLandsFromTheOldVersionAndOnlyFromTheBlocksThisNodeLacks(String sent, Vertx vertx) throws Exception {
    byte[] old = content(3 * Frames.SMALL_FILE + 500);
    byte[] wanted = old.clone();
    wanted[Frames.SMALL_FILE + 9]++;
    Files.write(dst.resolve("b.bin"), old);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), file("b.bin", wanted)));
    Stat stat;
    try (Dir root = Dir.open(dst, false)) {
      stat = root.stat("b.bin");
    }
    Basis basis = Basis.compare(stat, blocks(old), blocks(wanted));
    bases = sent.equals("none") ? Bases.NONE : new Bases(Map.of(1, basis));
    int block = sent.equals("2") ? 2 : 1;
    BitSet blocks = new BitSet();
    blocks.set(block);
    byte[] bytes = Arrays.copyOfRange(wanted, block * Frames.SMALL_FILE, (block + 1) * Frames.SMALL_FILE);
    Buffer body = Frames.delta(1, manifest.entry(1), DeltaBlocks.of(wanted.length, blocks), false).appendBytes(bytes)
        .appendBuffer(check(1, bytes)).appendBuffer(Frames.end(1));

    Future<StreamTally.Summary> landed = land(vertx, manifest, body, 65_536, null);

    if (sent.equals("1")) {
      assertEquals(Frames.SMALL_FILE, landed.await(30, TimeUnit.SECONDS).bytes());
      assertArrayEquals(wanted, Files.readAllBytes(dst.resolve("b.bin")));
    } else {
      Throwable failure = assertThrows(Exception.class, () -> landed.await(30, TimeUnit.SECONDS));
      assertTrue(failure.getMessage().contains("not the ones this node lacks"), failure.getMessage());
      assertArrayEquals(old, Files.readAllBytes(dst.resolve("b.bin")));
    }
    assertNoTemporaryFiles(dst);
  }

  /** The block list of {@code data}, 1 MiB blocks, as the source and the block cache make it. */
  private static BlockList blocks(byte[] data) {
    int size = BlockList.blockSize(data.length);
    ByteBuffer hashes = ByteBuffer.allocate(BlockList.count(data.length, size) * BlockList.HASH_BYTES);
    for (int at = 0; at < data.length; at += size) {
      MessageDigest digest = FileFacts.sha256();
      digest.update(data, at, Math.min(size, data.length - at));
      hashes.put(digest.digest());
    }
    return BlockList.of(data.length, hashes.array());
  }

  private static Entry file(String path, byte[] bytes) {
    return Entry.file(path, bytes.length, Timestamp.ofEpochNanos(1_000_000_000_000_000L), 0644,
        HexFormat.of().formatHex(FileFacts.sha256().digest(bytes)));
  }

  private static byte[] content(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
