package io.gosync.scan;

import io.gosync.fs.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A decode held to limits: the count is checked before anything is read, the bytes while they inflate. */
class ManifestLimitsTest {

  private static final long MTIME = 1_500_000_000_000_000_000L;

  @Test
  void aManifestWithinItsLimitsDecodesUnchanged() {
    Manifest manifest = tree(1000, 10);
    byte[] encoded = ManifestCodec.encode(manifest);

    assertEquals(manifest, ManifestCodec.decode(encoded, new ManifestCodec.Limits(1000, 1 << 20)));
  }

  @Test
  void moreEntriesThanAllowedAreRefusedByTheCountAlone() {
    byte[] encoded = ManifestCodec.encode(tree(1000, 10));

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ManifestCodec.decode(encoded, new ManifestCodec.Limits(999, Long.MAX_VALUE)));

    assertEquals("manifest: 1000 entries, more than the 999 it may have here", refused.getMessage());
  }

  /**
   * Long names that compress to almost nothing: 20,000 entries of 250-byte names inflate to 5 MB from a
   * small fraction of that. The decode stops once it has inflated past the limit, not after.
   */
  @Test
  void aManifestThatInflatesPastItsBytesIsStoppedThere() {
    byte[] encoded = ManifestCodec.encode(tree(20_000, 250));

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ManifestCodec.decode(encoded, new ManifestCodec.Limits(20_000, 1 << 20)));

    assertEquals("manifest: decodes to more than the 1048576 bytes it may have here", refused.getMessage());
    assertTrue(encoded.length < 1 << 20, encoded.length + " bytes compressed");
  }

  /** The root and {@code count - 1} directories below it, each named by {@code length} bytes. */
  private static Manifest tree(int count, int length) {
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755));
    for (int i = 1; i < count; i++) {
      String number = String.format("%06d", i);
      entries.add(Entry.dir(number + "x".repeat(Math.max(0, length - number.length())), Timestamp.ofEpochNanos(MTIME), 0755));
    }
    return Manifest.of(entries);
  }
}
