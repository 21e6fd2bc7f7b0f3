package io.gosync.scan;

import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;

import java.nio.file.Path;
import java.util.List;

/**
 * What preparing a destination did and what it still needs. {@code need} holds manifest
 * indices; {@code partials} the needed files whose start is here already;
 * {@code bases} the needed large files held here in another version (none of them a partial); {@code needBytes} what is to come.
 */
public record PrepareOutcome(Path dst, NeedList need, Partials partials, NeedList bases, int needFiles, long needBytes, int created, int deleted,
                             int fixed, int conflictCount, List<String> conflicts) {
}
