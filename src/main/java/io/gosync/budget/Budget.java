package io.gosync.budget;

/**
 * How much of one thing (bytes of stream headers, manifest entries, decoded manifest bytes) peers may make
 * this node hold at once, summed over all their connections and tasks. Each cap on a single item stops one
 * huge item; only a budget stops many large ones, which is how thirty 15 MiB headers ran a 256 MiB daemon
 * out of heap (issue 10). Sized as a share of the heap, so that a node given more heap takes more.
 *
 * <p>Not thread-safe on purpose: a budget belongs to one verticle and is used on its event loop only.
 */
public final class Budget {

  private final String unit;
  private final long capacity;
  private final long heapBytes;
  private long held;

  /**
   * @param unit what is counted, plural, for messages ("entries", "bytes")
   * @param capacity how many units may be held at once
   * @param heapBytes the heap the capacity was sized from, for messages
   */
  public Budget(String unit, long capacity, long heapBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a budget of " + capacity + " " + unit + " holds nothing");
    }
    this.unit = unit;
    this.capacity = capacity;
    this.heapBytes = heapBytes;
  }

  /** A budget of {@code heapBytes / heapShare} bytes' worth of units that cost {@code unitBytes} each. */
  public static Budget ofHeap(String unit, long heapBytes, int heapShare, long unitBytes) {
    return new Budget(unit, heapBytes / heapShare / unitBytes, heapBytes);
  }

  /** The heap of this JVM, as every budget of a node is sized from it. */
  public static long heap() {
    return Runtime.getRuntime().maxMemory();
  }

  /**
   * Takes {@code amount} units, or refuses with the reason: more than the whole budget, or more than what
   * is free while others hold the rest.
   *
   * @throws IllegalArgumentException when the amount does not fit; nothing is taken then
   */
  public void take(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("cannot take " + amount + " " + unit);
    }
    if (amount > capacity) {
      throw new IllegalArgumentException(amount + " " + unit + " exceed this node's budget of " + capacity
          + " for a heap of " + (heapBytes >> 20) + " MiB");
    }
    if (amount > free()) {
      throw new IllegalArgumentException(amount + " " + unit + " do not fit in what is free of this node's budget ("
          + free() + " of " + capacity + " for a heap of " + (heapBytes >> 20) + " MiB; others hold the rest)");
    }
    held += amount;
  }

  /** Gives back what {@link #take} took. */
  public void give(long amount) {
    if (amount < 0 || amount > held) {
      throw new IllegalStateException("cannot give back " + amount + " " + unit + " of the " + held + " held");
    }
    held -= amount;
  }

  public long capacity() {
    return capacity;
  }

  public long held() {
    return held;
  }

  public long free() {
    return capacity - held;
  }
}
