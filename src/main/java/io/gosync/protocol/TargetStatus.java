package io.gosync.protocol;

import java.util.Locale;

/**
 * Where one target of a task stands; on the wire as its lower-case label. {@code partial}: done,
 * but some source files could not be read whole and were skipped (the others landed), as rsync's
 * "partial transfer"; not ok, yet not failed either.
 */
public enum TargetStatus {
  PENDING, PREPARING, PREPARED, TRANSFERRING, OK, UNCHANGED, PARTIAL, FAILED;

  /** A final status is never left: the target's line in the report is written. */
  public boolean isFinal() {
    return this == OK || this == UNCHANGED || this == PARTIAL || this == FAILED;
  }

  /** The target equals the source: nothing failed and nothing was skipped. */
  public boolean isOk() {
    return this == OK || this == UNCHANGED;
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
