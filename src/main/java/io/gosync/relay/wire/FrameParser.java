package io.gosync.relay.wire;

import com.github.luben.zstd.Zstd;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Turns the body of a relay stream (see {@link Frames}), however the network splits it, into frame events. Every
 * size from the wire is checked before anything is allocated for it, and compressed chunks are inflated here.
 * Hand-written rather than a vertx {@code RecordParser}, which copies every record it emits: raw file bytes, nearly
 * all of a stream, pass on as slices of the buffers that carried them.
 *
 * <p>While paused it keeps what arrives and parses it on {@link #resume}. Use it on one thread; an event may pause
 * or stop the parser, but must not feed or resume it.
 */
public final class FrameParser implements Handler<Buffer> {

  private enum State { TYPE, FILE_HEADER, DELTA_COUNT, DELTA_BLOCKS, RAW, CHUNK_HEADER, CHUNK_DATA, END, ABORT_LENGTH,
    ABORT_TEXT, SKIP_HEADER, SKIP_TEXT, CHECK, DONE }

  private final FrameEvents events;
  private State state = State.TYPE;
  private boolean paused;
  /** What arrived while paused. */
  private Buffer held;
  /** The frame being read: its length and, when it spans reads, its bytes so far. */
  private int wanted;
  private Buffer partial;
  /** The current file: its frame's fields, kept while a delta's block numbers are read. */
  private int index;
  private long size;
  private String hash;
  private boolean compressed;
  /** Raw bytes of the current file still to come. */
  private long remaining;
  private int chunkRawLength;
  /** The current file's bytes are all here: its check or its skip comes next, nothing else. */
  private boolean unchecked;

  public FrameParser(FrameEvents events) {
    this.events = events;
  }

  @Override
  public void handle(Buffer data) {
    if (paused && state != State.DONE) {
      hold(data);
    } else {
      parse(data);
    }
  }

  public void pause() {
    paused = true;
  }

  /** Parses what arrived while paused, unless an event pauses the parser again. */
  public void resume() {
    Buffer rest = held;
    held = null;
    paused = false;
    if (rest != null) {
      parse(rest);
    }
  }

  public boolean isPaused() {
    return paused;
  }

  /** Ignores the rest of the stream. */
  public void stop() {
    state = State.DONE;
    paused = false;
    held = null;
    partial = null;
  }

  private void parse(Buffer buffer) {
    int at = 0;
    while (at < buffer.length() && !paused && state != State.DONE) {
      at = switch (state) {
        case TYPE -> type(buffer.getByte(at), at + 1);
        case RAW -> raw(buffer, at);
        default -> gather(buffer, at);
      };
    }
    if (paused && at < buffer.length()) {
      hold(buffer.slice(at, buffer.length()));
    }
  }

  /** Copies onto the heap: later reads are appended, and the caller's buffer may be pooled (see {@link Inbound}). */
  private void hold(Buffer data) {
    held = (held == null ? Buffer.buffer(data.length()) : held).appendBuffer(data);
  }

  private int type(byte type, int next) {
    if (unchecked && type != Frames.CHECK && type != Frames.SKIP && type != Frames.ABORT) {
      bad("file " + index + " is not followed by its check");
      return next;
    }
    switch (type) {
      case Frames.CHECK -> expect(State.CHECK, Frames.CHECK_BYTES);
      case Frames.FILE -> expect(State.FILE_HEADER, Frames.FILE_HEADER_BYTES);
      case Frames.END -> expect(State.END, Long.BYTES);
      case Frames.ABORT -> expect(State.ABORT_LENGTH, Integer.BYTES);
      case Frames.SKIP -> expect(State.SKIP_HEADER, Integer.BYTES * 2);
      default -> bad("unknown frame type " + type);
    }
    return next;
  }

  /** The caller has checked {@code length}: it is allocated as soon as a frame spans reads. An empty frame is read at once. */
  private void expect(State next, int length) {
    state = next;
    wanted = length;
    if (length == 0) {
      frame(Buffer.buffer());
    }
  }

  /** A frame inside one read is parsed in place; one that spans reads is gathered. */
  private int gather(Buffer buffer, int at) {
    int available = buffer.length() - at;
    if (partial == null && available >= wanted) {
      int end = at + wanted; // before the frame's event sets what is wanted next
      frame(buffer.slice(at, end));
      return end;
    }
    if (partial == null) {
      partial = Buffer.buffer(wanted);
    }
    int take = Math.min(wanted - partial.length(), available);
    partial.appendBuffer(buffer, at, take);
    if (partial.length() == wanted) {
      Buffer frame = partial;
      partial = null;
      frame(frame);
    }
    return at + take;
  }

  private void frame(Buffer frame) {
    switch (state) {
      case FILE_HEADER -> file(frame);
      case DELTA_COUNT -> deltaCount(frame.getInt(0));
      case DELTA_BLOCKS -> deltaBlocks(frame);
      case CHUNK_HEADER -> chunk(frame.getInt(0), frame.getInt(4));
      case CHUNK_DATA -> inflate(frame);
      case END -> last().streamEnds(frame.getLong(0));
      case ABORT_LENGTH -> abortLength(frame.getInt(0));
      case SKIP_HEADER -> skipHeader(frame.getInt(0), frame.getInt(4));
      case SKIP_TEXT -> skipped(frame.toString(StandardCharsets.UTF_8));
      case CHECK -> checked(frame.getInt(0), frame.getInt(4));
      case ABORT_TEXT -> last().sourceAborts(frame.toString(StandardCharsets.UTF_8));
    }
  }

  /** The events, for the stream's last one: nothing is parsed after it. */
  private FrameEvents last() {
    state = State.DONE;
    return events;
  }

  private void file(Buffer header) {
    index = header.getInt(0);
    size = header.getLong(4);
    long from = header.getLong(12);
    byte flags = header.getByte(20);
    compressed = (flags & Frames.COMPRESSED) != 0;
    hash = HexFormat.of().formatHex(header.getBytes(21, Frames.FILE_HEADER_BYTES));
    boolean delta = (flags & Frames.DELTA) != 0;
    if (size < 0 || from < 0 || (from > 0 && (delta || from >= size || size <= Frames.SMALL_FILE))) {
      bad("file " + index + " of " + size + " bytes" + (from == 0 ? "" : " sent from byte " + from));
    } else if (delta) {
      expect(State.DELTA_COUNT, Integer.BYTES);
    } else {
      starts(from, null);
    }
  }

  private void deltaCount(int count) {
    String trouble = DeltaBlocks.countTrouble(size, count);
    if (trouble != null) {
      bad("file " + index + ": " + trouble);
    } else {
      expect(State.DELTA_BLOCKS, count * Integer.BYTES);
    }
  }

  private void deltaBlocks(Buffer numbers) {
    DeltaBlocks blocks;
    try {
      blocks = DeltaBlocks.decode(size, numbers);
    } catch (IllegalArgumentException e) {
      bad("file " + index + ": " + e.getMessage());
      return;
    }
    starts(0, blocks);
  }

  private void starts(long from, DeltaBlocks delta) {
    remaining = delta == null ? size - from : delta.bytes();
    afterData();
    events.fileStarts(index, size, from, compressed, hash, delta);
  }

  private int raw(Buffer buffer, int at) {
    int take = (int) Math.min(remaining, buffer.length() - at);
    remaining -= take;
    afterData();
    events.fileData(buffer.slice(at, at + take));
    return at + take;
  }

  private void chunk(int rawLength, int packedLength) {
    if (rawLength <= 0 || rawLength > remaining || rawLength > Frames.MAX_CHUNK
        || packedLength <= 0 || packedLength > Zstd.compressBound(rawLength)) {
      bad("bad chunk of " + rawLength + "/" + packedLength + " bytes");
      return;
    }
    chunkRawLength = rawLength;
    expect(State.CHUNK_DATA, packedLength);
  }

  private void inflate(Buffer packed) {
    byte[] raw;
    try {
      raw = Zstd.decompress(packed.getBytes(), chunkRawLength);
    } catch (RuntimeException e) {
      bad("cannot decompress file " + index + ": " + e.getMessage());
      return;
    }
    if (raw.length != chunkRawLength) {
      bad("chunk of file " + index + " inflated to the wrong size");
      return;
    }
    remaining -= raw.length;
    afterData();
    events.fileData(Buffer.buffer(raw));
  }

  /** Set before each event, so that the parser goes on correctly if the event pauses it. */
  private void afterData() {
    if (remaining == 0) {
      state = State.TYPE;
      unchecked = true;
    } else if (compressed) {
      expect(State.CHUNK_HEADER, Frames.CHUNK_HEADER_BYTES);
    } else {
      state = State.RAW;
    }
  }

  private void abortLength(int length) {
    if (length < 0 || length > Frames.MAX_ABORT_TEXT) {
      bad("abort text of " + length + " bytes");
    } else {
      expect(State.ABORT_TEXT, length);
    }
  }

  private void checked(int file, int crc32c) {
    if (!unchecked || file != index) {
      bad("a check of file " + file + " out of place");
      return;
    }
    unchecked = false;
    state = State.TYPE;
    events.fileChecked(file, crc32c);
  }

  private void skipHeader(int file, int length) {
    if (unchecked && file != index) {
      bad("a skip of file " + file + " where file " + index + " must be checked");
      return;
    }
    unchecked = false;
    index = file;
    if (length < 0 || length > Frames.MAX_SKIP_TEXT) {
      bad("skip text of " + length + " bytes");
    } else {
      expect(State.SKIP_TEXT, length);
    }
  }

  private void skipped(String reason) {
    state = State.TYPE;
    events.fileSkipped(index, reason);
  }

  private void bad(String reason) {
    stop();
    events.badStream(reason);
  }
}
