package io.gosync.relay;

/**
 * How long each part of a relay tree waits for a stuck neighbour, all derived from one stall
 * timeout. When a node stalls, every connection above it fills up too: each level up waits half
 * a stall timeout longer, so the stalled node's own parent drops it first and the healthy relays
 * between it and the source are kept. A receiver in turn must outwait every ancestor that may
 * legitimately pause its stream while that ancestor waits out a stalled child.
 */
record StallLadder(long stallTimeoutMs) {

  /** How long a connection to a child whose subtree has this height may stay full. */
  long branchMs(int childHeight) {
    return stallTimeoutMs + childHeight * (stallTimeoutMs / 2);
  }

  /**
   * How long a receiver may hear nothing from its parent before it gives the parent up. Every
   * ancestor's child is lower than the tree, so its longest wait is below {@code branchMs(treeHeight)};
   * allow that and one stall timeout more.
   */
  long silenceMs(int treeHeight) {
    return branchMs(treeHeight) + stallTimeoutMs;
  }
}
