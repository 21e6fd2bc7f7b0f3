package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Stat;
import io.gosync.protocol.BlockList;
import io.gosync.protocol.NeedList;
import io.gosync.scan.BlockHashes.Hashed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The block lists a delta needs (issue 13), read through the node's {@link BlockCache}: on the source, those of the
 * new versions, to offer; on a target, how each offered file is built from the old version it holds. A file that
 * cannot be read, or is not as expected, has no list here and is sent whole. On the scanner's worker thread.
 */
final class BlockReads {

  private static final Logger LOG = LoggerFactory.getLogger(BlockReads.class);

  private final BlockCache cache;
  private final LongAdder hashedBytes = new LongAdder();

  BlockReads(BlockCache cache) {
    this.cache = cache;
  }

  /** The file contents read to hash blocks, since this node started. */
  long hashedBytes() {
    return hashedBytes.sum();
  }

  /** The lists of these large files of the manifest under {@code src}, each only if it is still the manifest's version. */
  Map<Integer, BlockList> offer(Path src, Manifest manifest, NeedList files) {
    EntryLocator source = EntryLocator.of(src, manifest.singleFile());
    Map<Integer, BlockList> lists = new TreeMap<>();
    files.indices().forEach(index -> {
      Entry entry = manifest.entry(index);
      Read read = read(source, entry);
      if (read != null && read.hashed().hash().equals(entry.hash())) {
        lists.put(index, read.hashed().blocks());
      }
    });
    return lists;
  }

  /**
   * For each offered file, how it is built from the old version under {@code dst}: only where that version is a
   * regular file that holds at least half of the new one's bytes (see {@link Basis#compare}).
   *
   * @throws IllegalArgumentException for an offer of a list that is not of the manifest's file (its size)
   */
  Map<Integer, Basis> bases(Path dst, Manifest manifest, Map<Integer, BlockList> offered) {
    EntryLocator destination = EntryLocator.of(dst, manifest.singleFile());
    Map<Integer, Basis> bases = new TreeMap<>();
    offered.forEach((index, wanted) -> {
      Entry entry = manifest.entry(index);
      if (entry.kind() != Entry.Kind.FILE || wanted.fileSize() != entry.size()) {
        throw new IllegalArgumentException("block offer: the list of file " + index + " is of " + wanted.fileSize()
            + " bytes, not of the manifest's file");
      }
      Read old = read(destination, entry);
      Basis basis = old == null ? null : Basis.compare(old.stat(), old.hashed().blocks(), wanted);
      if (basis != null) {
        bases.put(index, basis);
      }
    });
    return bases;
  }

  /** A file's stat and what it holds then. */
  private record Read(Stat stat, Hashed hashed) {
  }

  /** The entry's file as it is now, or null when it is no large regular file that may serve, or changed while read. */
  private Read read(EntryLocator locator, Entry entry) {
    String name = locator.name(entry);
    try (Dir parent = locator.openParent(entry)) {
      Stat before = parent.stat(name);
      if (before == null || !before.isFile() || !Basis.mayServe(before.size(), entry.size())) {
        return null;
      }
      Hashed hashed = cache.hashed(parent, name, before, hashedBytes);
      return before.equals(parent.stat(name)) ? new Read(before, hashed) : null;
    } catch (IOException | RuntimeException e) {
      LOG.info("no block list of {}: {}", entry.path(), e.getMessage());
      return null;
    }
  }
}
