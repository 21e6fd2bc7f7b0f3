package io.gosync.relay;

/**
 * What the data port counts as it goes, for whoever wants to watch it. Called on the event loop,
 * {@link #forwarded} for every write, so an implementation must be cheap and must not block.
 */
public interface RelayMetrics {

  /** Counts nothing. */
  RelayMetrics NONE = new RelayMetrics() {
  };

  /** The tee wrote stream bytes to one branch: a child's connection, or this node's own landing. */
  default void forwarded(String branch, int bytes) {
  }

  /** A received file reached its final name. */
  default void landed(long bytes) {
  }

  /** The source sent one file's frame and data to the top of the tree. */
  default void sent(long bytes) {
  }
}
