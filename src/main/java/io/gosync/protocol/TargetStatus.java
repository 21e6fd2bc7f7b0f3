package io.gosync.protocol;

import java.util.Locale;

/** Where one target of a task stands; on the wire as its lower-case label. */
public enum TargetStatus {
  PENDING, PREPARING, PREPARED, TRANSFERRING, OK, UNCHANGED, FAILED;

  /** A final status is never left: the target's line in the report is written. */
  public boolean isFinal() {
    return this == OK || this == UNCHANGED || this == FAILED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TargetStatus fromLabel(String label) {
    for (TargetStatus status : values()) {
      if (status.label().equals(label)) {
        return status;
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not a target status");
  }
}
