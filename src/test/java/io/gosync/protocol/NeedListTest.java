package io.gosync.protocol;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The need-list's one encoding, and its checks on what a target sends back. */
class NeedListTest {

  @Test
  void needListRoundTrip() {
    BitSet need = new BitSet();
    need.set(1);
    need.set(9);
    assertEquals(NeedList.of(need), NeedList.decode(NeedList.of(need).encode(), 10));
  }

  @Test
  void needListRefusesAnIndexBeyondTheManifest() {
    BitSet need = new BitSet();
    need.set(10);
    // 11 bits fit the size check for 9 or 10 entries, so this is the index check
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(NeedList.of(need).encode(), 10));
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(NeedList.of(need).encode(), 9));
    // and far beyond
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(NeedList.of(need).encode(), 2));
    BitSet huge = new BitSet();
    huge.set(1_000_000);
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(NeedList.of(huge).encode(), 100));
  }

  @Test
  void needListRefusesGarbage() {
    byte[] garbage = new byte[64];
    new Random(9).nextBytes(garbage);
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(garbage, 1000));
  }

  /** No bytes at all is a clear IllegalArgumentException, not an index error from inside zstd. */
  @Test
  void needListRefusesNoBytes() {
    assertThrows(IllegalArgumentException.class, () -> NeedList.decode(new byte[0], 1000));
  }
}
