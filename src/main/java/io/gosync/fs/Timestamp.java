package io.gosync.fs;

/**
 * A file time as the kernel keeps it: 64-bit seconds since the epoch and nanoseconds. Not one
 * {@code long} of nanoseconds, which ends in 2262 (and clamped later mtimes silently).
 */
public record Timestamp(long seconds, int nanos) {

  public Timestamp {
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
    }
  }

  public static Timestamp ofEpochNanos(long nanos) {
    return new Timestamp(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L));
  }

  @Override
  public String toString() {
    return seconds + "." + String.format("%09d", nanos);
  }
}
