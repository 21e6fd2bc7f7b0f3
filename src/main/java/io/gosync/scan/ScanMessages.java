package io.gosync.scan;

import io.gosync.fs.Stat;
import io.gosync.protocol.BlockList;
import io.gosync.protocol.NeedList;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Node-local requests to the scanner verticle; sent as records, never across the cluster. */
public final class ScanMessages {

  private ScanMessages() {
  }

  /**
   * Resolve and check a task's source; with {@code checkOnly} false, also build its manifest.
   * {@code localDst}, when this node is also a target, must not overlap the source.
   */
  public record SourceRequest(String src, boolean checkOnly, String localDst) {

    public static SourceRequest scan(String src) {
      return new SourceRequest(src, false, null);
    }
  }

  /**
   * A scanned (or only checked) source. {@code skipped}: entries the scan could not take, each
   * "path: reason" with the path escaped for display; they are not in the manifest, and every
   * target's result is partial for them. {@code hashedBytes}: file contents the scan read to hash
   * (0 when the hash cache knew every file, and for a check). {@code began}: when the scan began (for a
   * check, when it was made), which the sender needs to trust a file unchanged since (see
   * {@link FileFacts#unchangedSince}).
   */
  public record SourceScan(Path path, Manifest manifest, List<String> skipped, long hashedBytes, Instant began) {

    public SourceScan {
      skipped = List.copyOf(skipped);
    }
  }

  public record PrepareRequest(String dst, Manifest manifest, boolean delete, boolean overwrite) {
  }

  public record FinishRequest(Path dst, Manifest manifest) {
  }

  /** On the source: the block lists of these large files of task {@code taskId}'s manifest, as a {@code BlockOffer}. */
  public record BlocksRequest(String taskId, Path src, Manifest manifest, NeedList files) {
  }

  /** On a target: how each offered file is built from its old version under {@code dst}; answered with {@link Bases}. */
  public record BasesRequest(Path dst, Manifest manifest, Map<Integer, BlockList> offered) {
  }

  /**
   * On a target, from its relay: a file built from its old version landed as {@code stat}, with this hash and
   * block list, which the block cache takes for its next delta (see {@code BlockCache#learn}).
   */
  public record LearnedBlocks(Stat stat, String hash, BlockList blocks) {
  }

  /** By manifest index, the offered files that are built from their old version; the others are sent whole. */
  public record Bases(Map<Integer, Basis> byIndex) {

    public static final Bases NONE = new Bases(Map.of());

    public Bases {
      byIndex = Map.copyOf(new TreeMap<>(byIndex));
    }
  }
}
