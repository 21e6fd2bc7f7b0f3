package io.gosync.relay.wire;

import io.vertx.core.buffer.Buffer;

/**
 * What a relay stream's body says, frame by frame, as {@link FrameParser} reads it: in order; nothing follows an
 * end, an abort or a bad stream.
 */
public interface FrameEvents {

  /**
   * A file's frame; its bytes from {@code from} (see {@link Frames}) to {@code size} follow as {@link #fileData}, or
   * for a delta ({@code delta} not null, {@code from} 0) only those of its blocks.
   */
  void fileStarts(int index, long size, long from, boolean compressed, String hash, DeltaBlocks delta);

  /** More bytes of the current file, inflated if they were compressed; not to be modified. */
  void fileData(Buffer bytes);

  /** The current file's bytes are all here, and their CRC32C as the source read them (see {@link Frames}). */
  void fileChecked(int index, int crc32c);

  /** The source gave up on this one file (see {@link Frames}); the stream goes on. */
  void fileSkipped(int index, String reason);

  void streamEnds(long files);

  /** @param reason the source's words, empty if it gave none */
  void sourceAborts(String reason);

  void badStream(String reason);
}
