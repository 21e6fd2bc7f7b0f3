package io.gosync.lab;

import io.gosync.protocol.BlockList;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A seeded data set like a deploy tree: one big file, many small files in nested directories,
 * symlinks and empty directories. The same parameters and seed give the same bytes, so runs
 * and machines compare.
 *
 * @param bigBytes    size of big.bin
 * @param smallFiles  how many small files
 * @param minSmall    smallest small file, bytes
 * @param maxSmall    largest small file, bytes
 * @param symlinks    relative links to small files
 * @param emptyDirs   empty directories
 * @param seed        seeds every byte and size
 */
public record DataSet(long bigBytes, int smallFiles, int minSmall, int maxSmall, int symlinks, int emptyDirs, long seed) {

  public static final String BIG = "big.bin";
  /** Where {@link #insertNearStart} inserts, and how much. */
  static final int INSERT_AT = 4 << 10;
  static final int INSERTED = 1 << 10;
  private static final int BLOCK = 1 << 20;

  public DataSet {
    if (bigBytes < 0 || smallFiles < 0 || minSmall < 0 || maxSmall < minSmall || symlinks < 0 || emptyDirs < 0) {
      throw new IllegalArgumentException("sizes and counts must be >= 0 and min <= max: " + this);
    }
    if (symlinks > 0 && smallFiles == 0) {
      throw new IllegalArgumentException("symlinks point at small files, so a data set with links needs small files");
    }
  }

  /** The benchmark's default: 256 MiB, 2,000 files of 4–64 KiB, 20 links, 5 empty directories. */
  public static DataSet standard() {
    return new DataSet(256L << 20, 2000, 4 << 10, 64 << 10, 20, 5, 20261125L);
  }

  /** Writes the data set into an empty or missing directory. */
  public void write(Path root) throws IOException {
    Files.createDirectories(root);
    Random random = new Random(seed);
    writeRandom(root.resolve(BIG), bigBytes, random.nextLong(), StandardOpenOption.CREATE_NEW);
    for (int i = 0; i < smallFiles; i++) {
      Path file = root.resolve(small(i));
      Files.createDirectories(file.getParent());
      Files.write(file, bytes(random, minSmall + random.nextInt(maxSmall - minSmall + 1)), StandardOpenOption.CREATE_NEW);
    }
    for (int i = 0; i < symlinks; i++) {
      Path link = root.resolve("links/l" + i);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of("..").resolve(small(random.nextInt(smallFiles))));
    }
    for (int i = 0; i < emptyDirs; i++) {
      Files.createDirectories(root.resolve("empty/e" + i));
    }
  }

  /**
   * An incremental change: rewrites 1 % of the small files (same sizes, new bytes) and appends
   * 1 MiB to the big file; {@code round} picks which files and what bytes, so rounds differ.
   *
   * @return the bytes it changed: the sizes of the small files it rewrote (each counted once,
   *     though it may pick one twice) and the 1 MiB appended
   */
  public long change(Path root, int round) throws IOException {
    Random random = random(round);
    int changes = Math.max(1, smallFiles / 100);
    Set<Path> rewritten = new HashSet<>();
    long changed = BLOCK;
    for (int i = 0; i < changes && smallFiles > 0; i++) {
      Path file = root.resolve(small(random.nextInt(smallFiles)));
      Files.write(file, bytes(random, (int) Files.size(file)), StandardOpenOption.TRUNCATE_EXISTING);
      changed += rewritten.add(file) ? Files.size(file) : 0;
    }
    writeRandom(root.resolve(BIG), BLOCK, random.nextLong(), StandardOpenOption.APPEND);
    return changed;
  }

  /**
   * An edit in place (issue 13's "1 MiB in the middle of 1 GiB"): new bytes, picked by {@code round},
   * over the block of the big file that holds its middle; its size stays, its mtime moves. The
   * block is gosync's ({@link BlockList#blockSize}), so exactly one of its blocks changes: for
   * 1024 MiB, the 1 MiB at 512 MiB. An edit across a block boundary would change two.
   *
   * @return the bytes it changed
   */
  public long overwriteMiddle(Path root, int round) throws IOException {
    Path big = root.resolve(BIG);
    long size = Files.size(big);
    int block = BlockList.blockSize(size);
    long offset = size / 2 / block * block;
    ByteBuffer bytes = ByteBuffer.wrap(bytes(random(round), (int) Math.min(block, size - offset)));
    try (FileChannel file = FileChannel.open(big, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        file.write(bytes, offset + bytes.position());
      }
    }
    return bytes.capacity();
  }

  /**
   * An insertion (issue 13's worst case for fixed blocks): {@link #INSERTED} new bytes, picked by
   * {@code round}, at {@link #INSERT_AT} of the big file, which is written anew beside and renamed
   * over it, as an editor saves: every byte after them moves, so every block from there differs.
   *
   * @return the bytes it added
   */
  public long insertNearStart(Path root, int round) throws IOException {
    Path big = root.resolve(BIG);
    Path next = root.resolve(BIG + ".next");
    byte[] inserted = bytes(random(round), INSERTED);
    try (InputStream in = Files.newInputStream(big);
         OutputStream out = Files.newOutputStream(next, StandardOpenOption.CREATE_NEW)) {
      out.write(in.readNBytes(INSERT_AT));
      out.write(inserted);
      in.transferTo(out);
    }
    Files.move(next, big, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return inserted.length;
  }

  /** Bytes in regular files: what one copy of the tree puts on the wire, framing aside. */
  public static long fileBytes(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      long total = 0;
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(path);
        }
      }
      return total;
    }
  }

  /**
   * The bytes of the regular files under root while a copy lands there, temporary files included: 0 before it
   * exists, or when the walk meets a file renamed or removed meanwhile (the caller polls again).
   */
  static long bytesUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).mapToLong(DataSet::sizeOrZero).sum();
    } catch (UncheckedIOException movedMeanwhile) {
      return 0;
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException gone) {
      return 0;
    }
  }

  /** Spread over two levels of directories, like a source tree. */
  private static String small(int i) {
    return "src/m" + i % 16 + "/p" + i % 7 + "/f" + i + ".dat";
  }

  /** Each round of changes its own bytes. */
  private Random random(int round) {
    return new Random(seed * 31 + round);
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void writeRandom(Path file, long size, long seed, StandardOpenOption mode) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[BLOCK];
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }
}
