package io.gosync.scan;

import io.gosync.protocol.NeedList;

import java.nio.file.Path;
import java.util.List;

/**
 * What preparing a destination did and what it still needs. {@code need} holds manifest
 * indices.
 */
public record PrepareOutcome(Path dst, NeedList need, int needFiles, long needBytes, int created, int deleted,
                             int fixed, int conflictCount, List<String> conflicts) {
}
