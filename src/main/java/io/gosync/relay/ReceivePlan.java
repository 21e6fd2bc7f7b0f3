package io.gosync.relay;

import io.gosync.scan.Manifest;

import java.nio.file.Path;
import java.util.BitSet;

/** What a prepared target expects from its task's stream; {@code need} is never changed. */
public record ReceivePlan(String taskId, String source, Path dst, Manifest manifest, BitSet need) {
}
