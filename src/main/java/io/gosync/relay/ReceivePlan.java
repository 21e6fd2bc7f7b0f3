package io.gosync.relay;

import io.gosync.protocol.NeedList;
import io.gosync.scan.Manifest;
import io.gosync.scan.ScanMessages.Bases;

import java.nio.file.Path;
import java.util.List;

/**
 * What a prepared target expects from its task's stream, and from whom: {@code parents} are the nodes the
 * source said may feed it (its planned parent and their ancestors up to the source); a stream is accepted
 * only from a peer whose certificate names one of them. {@code bases}: the needed files it builds from their old
 * version, from the blocks it lacks; the stream may send those files whole instead.
 */
public record ReceivePlan(String taskId, String source, Path dst, Manifest manifest, NeedList need, Bases bases,
                          List<String> parents) {

  public ReceivePlan {
    parents = List.copyOf(parents);
  }
}
