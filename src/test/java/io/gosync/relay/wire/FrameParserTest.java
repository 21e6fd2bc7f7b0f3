package io.gosync.relay.wire;

import io.gosync.fs.Timestamp;
import com.github.luben.zstd.Zstd;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream body's encoder against its parser, in memory: what Frames writes, FrameParser reads back. */
class FrameParserTest {

  private static final String SOME_HASH = "ab".repeat(32);

  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void everyFileAndTheEndComeBackWhereverTheStreamIsSplit(boolean compressed) {
    List<byte[]> files = List.of(new byte[0], content(1), content(3000), content(700));
    Buffer body = body(files, compressed);
    List<String> expected = expected(files, compressed);

    assertEquals(expected, parse(body, body.length()), "in one piece");
    assertEquals(expected, parse(body, 1), "byte by byte");
    for (int at = 1; at < body.length(); at++) {
      assertEquals(expected, parse(body.slice(0, at), body.slice(at, body.length())), "split at " + at);
    }
  }

  /** A file the receivers hold the start of: only the rest comes, raw or compressed, however the network splits it. */
  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void aFileSentFromAByteCarriesOnlyTheRest(boolean compressed) {
    byte[] whole = content(Frames.SMALL_FILE + 3000);
    byte[] rest = Arrays.copyOfRange(whole, Frames.SMALL_FILE + 1000, whole.length);
    Buffer body = Frames.file(1, entry(whole), Frames.SMALL_FILE + 1000, compressed)
        .appendBuffer(compressed ? Frames.chunk(Buffer.buffer(rest), 3) : Buffer.buffer(rest))
        .appendBuffer(Frames.check(1, crc32c(rest))).appendBuffer(Frames.end(1));

    List<String> expected = List.of("file 1 " + whole.length + " from " + (Frames.SMALL_FILE + 1000)
        + (compressed ? " compressed " : " ") + sha256(whole),
        "data 2000 " + sha256(rest), "check 1 " + crc32c(rest), "end 1");
    for (int at = 0; at <= body.length(); at += 50_021) {
      assertEquals(expected, parse(body.slice(0, at), body.slice(at, body.length())), "split at " + at);
    }
  }

  /** Issue 13: a delta carries its block numbers, then only those blocks' bytes, raw or compressed, however split. */
  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void aDeltaCarriesItsBlocksAndOnlyTheirBytes(boolean compressed) {
    byte[] whole = content(3 * Frames.SMALL_FILE + 500);
    BitSet missing = new BitSet();
    missing.set(1);
    missing.set(3); // the short last block
    DeltaBlocks delta = DeltaBlocks.of(whole.length, missing);
    byte[] blocks = new byte[Frames.SMALL_FILE + 500];
    System.arraycopy(whole, Frames.SMALL_FILE, blocks, 0, Frames.SMALL_FILE);
    System.arraycopy(whole, 3 * Frames.SMALL_FILE, blocks, Frames.SMALL_FILE, 500);
    Buffer body = Frames.delta(2, entry(whole), delta, compressed)
        .appendBuffer(compressed ? Frames.chunk(Buffer.buffer(blocks), 3) : Buffer.buffer(blocks))
        .appendBuffer(Frames.check(2, crc32c(blocks))).appendBuffer(Frames.end(1));

    assertEquals(blocks.length, delta.bytes());
    List<String> expected = List.of("file 2 " + whole.length + (compressed ? " compressed " : " ") + sha256(whole)
        + " blocks {1, 3}", "data " + blocks.length + " " + sha256(blocks), "check 2 " + crc32c(blocks), "end 1");
    for (int at = 0; at <= body.length(); at += at < 100 ? 1 : 50_021) {
      assertEquals(expected, parse(body.slice(0, at), body.slice(at, body.length())), "split at " + at);
    }
  }

  /** A file cut at a block's end is rebuilt from its old version alone: its delta carries no block. */
  @Test
  void aDeltaOfNoBlocksIsFollowedByItsCheck() {
    byte[] whole = content(2 * Frames.SMALL_FILE);
    Buffer body = Frames.delta(0, entry(whole), DeltaBlocks.of(whole.length, new BitSet()), false)
        .appendBuffer(Frames.check(0, 0)).appendBuffer(Frames.end(1));

    List<String> expected = List.of("file 0 " + whole.length + " " + sha256(whole) + " blocks {}", "check 0 0", "end 1");
    assertEquals(expected, parse(body, 1));
    assertEquals(expected, parse(body, body.length()));
  }

  @Test
  void anAbortComesBackWithItsReason() {
    for (String reason : List.of("source file a.txt changed size during the sync", "", "x".repeat(5000))) {
      Buffer body = Frames.file(1, entry(content(10)), 0, false).appendBytes(content(10)).appendBuffer(Frames.abort(reason));
      List<String> events = parse(body, 1);
      assertEquals("abort " + reason.substring(0, Math.min(reason.length(), Frames.MAX_ABORT_TEXT)),
          events.get(events.size() - 1));
      assertEquals(events, parse(body, body.length()));
    }
  }

  /**
   * A skip comes instead of a file's frame, or instead of a large file's check (the source found it
   * changed while it read it), and the stream goes on with the next file and its end.
   */
  @ParameterizedTest(name = "compressed {0}")
  @ValueSource(booleans = {false, true})
  void aSkipInsteadOfAFileOrAfterItsBytesComesBackAndTheStreamGoesOn(boolean compressed) {
    byte[] changed = content(3000);
    byte[] next = content(700);
    Buffer withEnd = body(List.of(changed), compressed);
    Buffer body = Frames.skip(1, "a.txt: No such file or directory")
        .appendBuffer(withEnd.slice(0, withEnd.length() - Frames.end(1).length() - Frames.check(1, 0).length()))
        .appendBuffer(Frames.skip(1, "b.bin: changed while it was read")).appendBuffer(Frames.skip(7, ""))
        .appendBuffer(body(List.of(next), compressed));
    List<String> expected = new ArrayList<>();
    expected.add("skip 1 a.txt: No such file or directory");
    expected.addAll(expected(List.of(changed), compressed).subList(0, 2));
    expected.add("skip 1 b.bin: changed while it was read");
    expected.add("skip 7 ");
    expected.addAll(expected(List.of(next), compressed));

    assertEquals(expected, parse(body, body.length()), "in one piece");
    for (int at = 1; at < body.length(); at++) {
      assertEquals(expected, parse(body.slice(0, at), body.slice(at, body.length())), "split at " + at);
    }
    String cut = "x".repeat(Frames.MAX_SKIP_TEXT + 10);
    assertEquals(List.of("skip 2 " + cut.substring(0, Frames.MAX_SKIP_TEXT)), parse(Frames.skip(2, cut), 1));
  }

  static Stream<Arguments> badStreams() {
    Entry big = Entry.file("big", 5L << 20, Timestamp.ofEpochNanos(1), 0644, SOME_HASH);
    Buffer bigCompressed = Frames.file(1, big, 0, true);
    Buffer small = Frames.file(1, Entry.file("small", 100, Timestamp.ofEpochNanos(1), 0644, SOME_HASH), 0, true);
    byte[] ten = Zstd.compress(content(10), 3);
    return Stream.of(
        Arguments.of("an unknown frame", Buffer.buffer("X"), "unknown frame type 88"),
        Arguments.of("a file's bytes not followed by their check", Frames.file(1, entry(content(3)), 0, false)
            .appendBytes(content(3)), "file 1 is not followed by its check"),
        Arguments.of("a check without a file", Frames.check(1, 0), "a check of file 1 out of place"),
        Arguments.of("a check of another file", Frames.file(1, entry(content(3)), 0, false).appendBytes(content(3))
            .appendBuffer(Frames.check(2, 0)), "a check of file 2 out of place"),
        Arguments.of("a skip of another file instead of a check", Frames.file(1, entry(content(3)), 0, false)
            .appendBytes(content(3)).appendBuffer(Frames.skip(2, "x")), "a skip of file 2 where file 1 must be checked"),
        Arguments.of("a negative file size", Frames.file(1, Entry.file("f", -1, Timestamp.ofEpochNanos(1), 0644, SOME_HASH), 0, false),
            "file 1 of -1 bytes"),
        Arguments.of("a file sent from a negative byte", Frames.file(1, big, -1, false),
            "file 1 of 5242880 bytes sent from byte -1"),
        Arguments.of("a file sent from its end", Frames.file(1, big, 5L << 20, false),
            "file 1 of 5242880 bytes sent from byte 5242880"),
        Arguments.of("a file sent from beyond its end", Frames.file(1, big, Long.MAX_VALUE, false),
            "file 1 of 5242880 bytes sent from byte 9223372036854775807"),
        Arguments.of("a small file sent from a byte", Frames.file(1, entry(content(3)), 1, false),
            "file 1 of 3 bytes sent from byte 1"),
        Arguments.of("a delta of a small file", delta(Entry.file("small", 100, Timestamp.ofEpochNanos(1), 0644,
            SOME_HASH), 0, 1), "file 1: a file of 100 bytes is sent whole"),
        Arguments.of("a delta of every block", delta(big, 0, 5), "file 1: 5 blocks of a file of 5"),
        Arguments.of("a delta of a negative count", delta(big, 0, -1), "file 1: -1 blocks of a file of 5"),
        Arguments.of("a delta with blocks out of order", delta(big, 0, 2, 3, 1), "file 1: delta blocks: block 1 out"),
        Arguments.of("a delta with a block twice", delta(big, 0, 2, 1, 1), "file 1: delta blocks: block 1 out"),
        Arguments.of("a delta with a block beyond the file", delta(big, 0, 1, 5),
            "file 1: delta blocks: block 5 out of order or beyond the file's 5"),
        Arguments.of("a delta sent from a byte", delta(big, Frames.SMALL_FILE + 1, 1, 0),
            "file 1 of 5242880 bytes sent from byte 1048577"),
        Arguments.of("an abort text over the cap",
            Buffer.buffer().appendByte(Frames.ABORT).appendInt(Frames.MAX_ABORT_TEXT + 1), "abort text of 4097 bytes"),
        Arguments.of("a skip text over the cap", Buffer.buffer().appendByte(Frames.SKIP).appendInt(1)
            .appendInt(Frames.MAX_SKIP_TEXT + 1), "skip text of 1025 bytes"),
        Arguments.of("a negative skip text", Buffer.buffer().appendByte(Frames.SKIP).appendInt(1).appendInt(-1),
            "skip text of -1 bytes"),
        Arguments.of("a negative abort text", Buffer.buffer().appendByte(Frames.ABORT).appendInt(-1),
            "abort text of -1 bytes"),
        Arguments.of("a chunk longer than the file", small.copy().appendInt(101).appendInt(10), "bad chunk of 101/10 bytes"),
        Arguments.of("a chunk over MAX_CHUNK", bigCompressed.copy().appendInt(Frames.MAX_CHUNK + 1).appendInt(10),
            "bad chunk of 4194305/10 bytes"),
        Arguments.of("an empty chunk", small.copy().appendInt(0).appendInt(10), "bad chunk of 0/10 bytes"),
        Arguments.of("no packed bytes", small.copy().appendInt(10).appendInt(0), "bad chunk of 10/0 bytes"),
        Arguments.of("packed bytes over the bound", small.copy().appendInt(10).appendInt(Integer.MAX_VALUE),
            "bad chunk of 10/2147483647 bytes"),
        Arguments.of("packed bytes that are not zstd", small.copy().appendInt(10).appendInt(10).appendBytes(new byte[10]),
            "cannot decompress file 1: "),
        Arguments.of("a chunk that inflates short", small.copy().appendInt(20).appendInt(ten.length).appendBytes(ten),
            "chunk of file 1 inflated to the wrong size"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStreams")
  void aBadStreamIsReportedOnceAndNothingFollows(String what, Buffer bad, String reason) {
    Buffer body = bad.copy().appendBuffer(Frames.end(1));
    for (int piece : new int[] {1, body.length()}) {
      List<String> events = parse(body, piece);
      String last = events.get(events.size() - 1);
      assertTrue(last.startsWith("bad " + reason), piece + "-byte pieces: " + events);
      assertEquals(1, events.stream().filter(e -> e.startsWith("bad ")).count(), events.toString());
    }
  }

  @Test
  void aPausedParserHoldsWhatComesAndGoesOnWhereItStopped() {
    List<byte[]> files = List.of(content(10), new byte[0], content(2000));
    Buffer body = body(files, false);
    Recorder recorder = new Recorder();
    FrameParser parser = new FrameParser(recorder);
    recorder.pauseOnFile = parser;

    parser.handle(body);
    assertEquals(1, recorder.events.size(), "events while paused: " + recorder.events);
    while (parser.isPaused()) {
      parser.resume();
    }

    assertEquals(expected(files, false), recorder.events());
  }

  @Test
  void rawFileBytesPassAsSlicesOfTheReadThatCarriedThem() {
    byte[] data = content(100);
    Buffer read = Frames.file(1, entry(data), 0, false).appendBytes(data);
    List<Buffer> seen = new ArrayList<>();
    FrameParser parser = new FrameParser(new Recorder() {
      @Override
      public void fileData(Buffer bytes) {
        seen.add(bytes);
      }
    });

    parser.handle(read);
    read.setByte(read.length() - 1, (byte) (data[99] + 1));

    assertEquals(1, seen.size());
    assertEquals((byte) (data[99] + 1), seen.get(0).getByte(99), "the data event copied the bytes");
  }

  @Test
  void aStoppedParserIgnoresTheRest() {
    Recorder recorder = new Recorder();
    FrameParser parser = new FrameParser(recorder);
    Buffer body = body(List.of(content(10)), false);

    parser.handle(body.slice(0, 58));
    parser.stop();
    parser.handle(body.slice(58, body.length()));

    assertEquals(List.of(expected(List.of(content(10)), false).get(0), "data 4 " + sha256(Arrays.copyOf(content(10), 4))),
        recorder.events());
  }

  // ---- helpers ----

  /** The body a source writes for these files (index 1, 2, ...), compressed in chunks of at most 1000 bytes. */
  private static Buffer body(List<byte[]> files, boolean compressed) {
    Buffer body = Buffer.buffer();
    for (int i = 0; i < files.size(); i++) {
      byte[] data = files.get(i);
      body.appendBuffer(Frames.file(i + 1, entry(data), 0, compressed));
      if (!compressed) {
        body.appendBytes(data);
      }
      for (int at = 0; compressed && at < data.length; at += 1000) {
        body.appendBuffer(Frames.chunk(Buffer.buffer(data).slice(at, Math.min(data.length, at + 1000)), 3));
      }
      body.appendBuffer(Frames.check(i + 1, crc32c(data)));
    }
    return body.appendBuffer(Frames.end(files.size()));
  }

  private static List<String> expected(List<byte[]> files, boolean compressed) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      byte[] data = files.get(i);
      events.add("file " + (i + 1) + " " + data.length + (compressed ? " compressed " : " ") + sha256(data));
      if (data.length > 0) {
        events.add("data " + data.length + " " + sha256(data));
      }
      events.add("check " + (i + 1) + " " + crc32c(data));
    }
    events.add("end " + files.size());
    return events;
  }

  private static List<String> parse(Buffer body, int piece) {
    Recorder recorder = new Recorder();
    FrameParser parser = new FrameParser(recorder);
    for (int at = 0; at < body.length(); at += piece) {
      parser.handle(body.slice(at, Math.min(body.length(), at + piece)));
    }
    return recorder.events();
  }

  private static List<String> parse(Buffer... reads) {
    Recorder recorder = new Recorder();
    FrameParser parser = new FrameParser(recorder);
    for (Buffer read : reads) {
      parser.handle(read);
    }
    return recorder.events();
  }

  /** A delta's frame with these raw fields: its byte {@code from}, its block count, then the block numbers. */
  private static Buffer delta(Entry entry, long from, int count, int... blocks) {
    Buffer frame = Frames.file(1, entry, from, false);
    frame.setByte(1 + 4 + 8 + 8, Frames.DELTA);
    frame.appendInt(count);
    Arrays.stream(blocks).forEach(frame::appendInt);
    return frame;
  }

  private static Entry entry(byte[] data) {
    return Entry.file("f", data.length, Timestamp.ofEpochNanos(1), 0644, sha256(data));
  }

  /** Compressible, as most files are, but not trivially. */
  private static byte[] content(int size) {
    byte[] bytes = new byte[size];
    Random random = new Random(size);
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(4));
    }
    return bytes;
  }

  private static int crc32c(byte[] data) {
    Checksum crc = Frames.crc32c();
    crc.update(data);
    return (int) crc.getValue();
  }

  private static String sha256(byte[] data) {
    return HexFormat.of().formatHex(FileFacts.sha256().digest(data));
  }

  /** Writes each event as a line; a file's data events are joined, since the splits decide how many there are. */
  private static class Recorder implements FrameEvents {
    final List<String> events = new ArrayList<>();
    private Buffer data;
    FrameParser pauseOnFile;

    List<String> events() {
      flush();
      return events;
    }

    private void flush() {
      if (data != null) {
        events.add("data " + data.length() + " " + sha256(data.getBytes()));
        data = null;
      }
    }

    @Override
    public void fileStarts(int index, long size, long from, boolean compressed, String hash, DeltaBlocks delta) {
      flush();
      events.add("file " + index + " " + size + (from > 0 ? " from " + from : "") + (compressed ? " compressed " : " ")
          + hash + (delta == null ? "" : " blocks " + delta.asBitSet()));
      if (pauseOnFile != null) {
        pauseOnFile.pause();
      }
    }

    @Override
    public void fileData(Buffer bytes) {
      data = data == null ? bytes.copy() : data.appendBuffer(bytes);
    }

    @Override
    public void fileChecked(int index, int crc32c) {
      flush();
      events.add("check " + index + " " + crc32c);
    }

    @Override
    public void fileSkipped(int index, String reason) {
      flush();
      events.add("skip " + index + " " + reason);
    }

    @Override
    public void streamEnds(long files) {
      flush();
      events.add("end " + files);
    }

    @Override
    public void sourceAborts(String reason) {
      flush();
      events.add("abort " + reason);
    }

    @Override
    public void badStream(String reason) {
      flush();
      events.add("bad " + reason);
    }
  }
}
