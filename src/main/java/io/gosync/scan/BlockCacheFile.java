package io.gosync.scan;

import io.gosync.protocol.BlockList;
import io.gosync.fs.Timestamp;
import io.gosync.scan.BlockCache.Remembered;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The block cache of one node as a file in its state directory, beside its hash cache file and for the same
 * reasons (see {@link HashCacheFile}): a {@link StateFile}, refused whole when torn, damaged or foreign. Its
 * records vary in length, as the lists do: a file's identity and times, its whole-file hash, then its list as
 * {@link BlockList#toBytes} encodes it. At most about the cache's byte budget on disk.
 */
final class BlockCacheFile {

  /** "GSBC". */
  private static final int MAGIC = 0x47534243;
  private static final int FORMAT = 1;
  /** device, inode, mtime (8 + 4), ctime (8 + 4), SHA-256, the list's header; then 32 bytes a block. */
  private static final int MIN_RECORD_BYTES = 8 + 8 + 12 + 12 + 32 + BlockList.HEADER_BYTES;

  private final StateFile file;

  /** The file of node {@code node} in {@code stateDir}: one per node, so that nodes may share a directory. */
  BlockCacheFile(Path stateDir, String node) {
    this.file = new StateFile(stateDir, "block-cache-" + node, MAGIC, FORMAT, "block cache", node);
  }

  Path path() {
    return file.path();
  }

  /** Fills the cache from the file, if there is a good one (see {@link StateFile#restore}). @return the entries restored */
  int restoreInto(BlockCache cache) {
    return file.restore(() -> load(cache.capacityBytes()), cache::restore, "large files are read again");
  }

  /** Saves the cache if it changed since it was last saved or restored (see {@link StateFile#saveChanges}). */
  boolean saveChanges(BlockCache cache) {
    return file.saveChanges(cache.changes(), this::save, "large files are read again");
  }

  /**
   * The saved entries, least recently used first, the newest of them that fit in {@code capacityBytes} (as
   * {@link BlockCache#cost} counts); null when there is no file yet.
   *
   * @throws IllegalArgumentException naming what is wrong with a file that is not this node's cache, or damaged
   * @throws IOException when it cannot be read
   */
  private List<Remembered> load(long capacityBytes) throws IOException {
    long length = file.verifiedLength();
    if (length < 0) {
      return null;
    }
    try (DataInputStream in = file.open()) {
      int count = in.readInt();
      String misfit = "its length " + length + " does not fit its " + count + " entries";
      long left = length - file.headerBytes() - 4 - 4;
      if (count < 0 || (long) count * MIN_RECORD_BYTES > left) {
        throw new IllegalArgumentException(misfit);
      }
      ArrayDeque<Remembered> newest = new ArrayDeque<>();
      long held = 0;
      for (int i = 0; i < count; i++) {
        if (left < MIN_RECORD_BYTES) {
          throw new IllegalArgumentException(misfit);
        }
        Remembered entry = readRecord(in);
        left -= MIN_RECORD_BYTES + (long) entry.blocks().count() * BlockList.HASH_BYTES;
        newest.addLast(entry);
        held += BlockCache.cost(entry.blocks());
        while (held > capacityBytes) {
          held -= BlockCache.cost(newest.removeFirst().blocks());
        }
      }
      if (left != 0) {
        throw new IllegalArgumentException(misfit);
      }
      return List.copyOf(newest);
    } catch (EOFException e) {
      throw new IllegalArgumentException("it is truncated");
    }
  }

  private static Remembered readRecord(DataInputStream in) throws IOException {
    long device = in.readLong();
    long inode = in.readLong();
    Timestamp mtime = StateFile.readTime(in);
    Timestamp ctime = StateFile.readTime(in);
    byte[] hash = new byte[32];
    in.readFully(hash);
    return new Remembered(device, inode, mtime, ctime, HexFormat.of().formatHex(hash), readList(in));
  }

  /** A list as {@link BlockList#toBytes} wrote it, its length known from its header before it is allocated. */
  private static BlockList readList(DataInputStream in) throws IOException {
    byte[] header = new byte[BlockList.HEADER_BYTES];
    in.readFully(header);
    long size = ByteBuffer.wrap(header).getLong();
    if (size <= BlockCache.SMALL_FILE || size > BlockList.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("it holds a block list of a file of " + size + " bytes");
    }
    int blocks;
    try {
      blocks = BlockList.count(size, ByteBuffer.wrap(header).getInt(Long.BYTES));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("it holds a bad block list: " + e.getMessage());
    }
    byte[] list = Arrays.copyOf(header, BlockList.HEADER_BYTES + blocks * BlockList.HASH_BYTES);
    in.readFully(list, header.length, list.length - header.length);
    return BlockList.fromBytes(list);
  }

  /** Replaces the file with these entries, least recently used first: whole or not at all, even on a crash. */
  private void save(List<Remembered> entries) throws IOException {
    file.save(out -> {
      out.writeInt(entries.size());
      for (Remembered entry : entries) {
        out.writeLong(entry.device());
        out.writeLong(entry.inode());
        StateFile.writeTime(out, entry.mtime());
        StateFile.writeTime(out, entry.ctime());
        out.write(HexFormat.of().parseHex(entry.hash()));
        out.write(entry.blocks().toBytes());
      }
    });
  }
}
