package io.gosync.relay;

import io.gosync.protocol.NeedList;
import io.gosync.scan.Manifest;

import java.nio.file.Path;

/** What a prepared target expects from its task's stream. */
public record ReceivePlan(String taskId, String source, Path dst, Manifest manifest, NeedList need) {
}
