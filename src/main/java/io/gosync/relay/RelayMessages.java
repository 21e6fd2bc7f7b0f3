package io.gosync.relay;

import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.Skipped;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.Manifest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Node-local requests to the relay verticle and what it tells the task control verticle. */
public final class RelayMessages {

  private RelayMessages() {
  }

  /**
   * Stream one group's files from the source to the top of its relay tree. {@code scanBegan}: when the source's scan
   * began (see {@code FileFacts.unchangedSince}); {@code deltas}: the files sent as their missing blocks only.
   */
  public record SendRequest(String taskId, int group, Path src, Manifest manifest, Instant scanBegan, NeedList need,
                            Deltas deltas, Partials partials, List<TreeNode> children, boolean compress) {
  }

  public record SendOutcome(long files, long bytes) {
  }

  /**
   * A receiving node's own result, for its task control verticle to finish and report; {@code via} fed it, {@code rebuilt}
   * the files it built from old versions, and {@code skipped} are the files the source gave up on while it sent them. {@code cutOff}: it failed only because
   * its stream stopped coming, and may be fed again.
   */
  public record Received(String taskId, boolean ok, long files, long bytes, Rebuilt rebuilt, Skipped skipped,
                         String via, String message, boolean cutOff) {
  }
}
