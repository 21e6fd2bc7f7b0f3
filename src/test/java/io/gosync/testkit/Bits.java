package io.gosync.testkit;

import io.gosync.protocol.NeedList;

import java.util.BitSet;

/** Bit sets and need-lists written out in a test: the numbers set, nothing else. */
public final class Bits {

  private Bits() {
  }

  public static BitSet of(int... numbers) {
    BitSet set = new BitSet();
    for (int number : numbers) {
      set.set(number);
    }
    return set;
  }

  public static NeedList needList(int... indices) {
    return NeedList.of(of(indices));
  }
}
