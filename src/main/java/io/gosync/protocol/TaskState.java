package io.gosync.protocol;

import java.util.Locale;

/** Where a task stands on its source, in this order; on the wire as its lower-case label. */
public enum TaskState {
  ACCEPTED, SCANNING, PREPARING, TRANSFERRING, DONE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromLabel(String label) {
    for (TaskState state : values()) {
      if (state.label().equals(label)) {
        return state;
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not a task state");
  }
}
