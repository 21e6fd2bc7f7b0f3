package io.gosync.relay;

import io.gosync.protocol.NeedList;
import io.gosync.scan.Manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * What a prepared target expects from its task's stream, and from whom: {@code parents} are the nodes the
 * source said may feed it (its planned parent and their ancestors up to the source); a stream is accepted
 * only from a peer whose certificate names one of them.
 */
public record ReceivePlan(String taskId, String source, Path dst, Manifest manifest, NeedList need,
                          List<String> parents) {

  public ReceivePlan {
    parents = List.copyOf(parents);
  }
}
