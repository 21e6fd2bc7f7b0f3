package io.gosync.scan;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * What preparing a destination did and what it still needs. {@code need} holds manifest
 * indices; it is never changed after it is made.
 */
public record PrepareOutcome(Path dst, BitSet need, int needFiles, long needBytes, int created, int deleted,
                             int fixed, int conflictCount, List<String> conflicts) {
}
