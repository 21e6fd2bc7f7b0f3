package io.gosync.control;

import io.gosync.protocol.NeedList;

import java.util.List;

/** Targets whose need-lists are equal: they are fed by one relay tree, with one stream. */
record Group<T>(NeedList need, List<T> members) {

  Group {
    members = List.copyOf(members);
  }
}
