package io.gosync.control;

import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;

import java.util.List;

/**
 * Targets whose need-lists are equal, and who lack the same blocks of the files they build from old versions
 * ({@code deltas}): they are fed by one relay tree, with one stream. {@code partials}: the starts of files they all
 * hold, the least any member holds of each; the stream sends those files from there.
 */
record Group<T>(NeedList need, Deltas deltas, Partials partials, List<T> members) {

  Group {
    members = List.copyOf(members);
  }
}
