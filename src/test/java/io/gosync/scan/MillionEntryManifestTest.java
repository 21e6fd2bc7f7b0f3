package io.gosync.scan;

import io.gosync.fs.Timestamp;
import io.gosync.config.ConfigLoader;
import io.gosync.protocol.NeedList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A manifest of a million entries stays compact and travels in many chunks, never as one message. */
class MillionEntryManifestTest {

  @Test
  void aMillionEntriesEncodeCompactlyInManyChunksAndDecodeUnchanged() {
    Random random = new Random(1);
    byte[] hash = new byte[32];
    List<Entry> entries = new ArrayList<>(1_001_001);
    entries.add(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755));
    for (int d = 0; d < 1000; d++) {
      String dir = String.format("release/part-%04d", d);
      if (d == 0) {
        entries.add(Entry.dir("release", Timestamp.ofEpochNanos(1L), 0755));
      }
      entries.add(Entry.dir(dir, Timestamp.ofEpochNanos(2L), 0755));
      for (int f = 0; f < 1000; f++) {
        random.nextBytes(hash);
        entries.add(Entry.file(dir + "/file-" + f + ".dat", random.nextInt(1 << 20), Timestamp.ofEpochNanos(3L), 0644, HexFormat.of().formatHex(hash)));
      }
    }
    entries.sort(Comparator.comparing(Entry::path));
    Manifest manifest = Manifest.of(entries);

    byte[] encoded = ManifestCodec.encode(manifest);
    int chunkBytes = ConfigLoader.defaults().getInteger("manifestChunkBytes");
    long chunks = (encoded.length + chunkBytes - 1) / chunkBytes;
    // SHA-256 does not compress: about 32 bytes an entry is the floor; paths and metadata add little.
    assertTrue(encoded.length < 60L * manifest.size(), encoded.length + " bytes for " + manifest.size() + " entries");
    assertTrue(chunks > 50, chunks + " chunks of " + chunkBytes + " bytes");

    System.out.printf("manifest: %d entries, %d bytes encoded, %d chunks%n", manifest.size(), encoded.length, chunks);
    assertEquals(manifest, ManifestCodec.decode(encoded));

    BitSet all = new BitSet();
    all.set(0, manifest.size());
    byte[] need = NeedList.of(all).encode();
    assertTrue(need.length < 1024, "a need-list of every index is " + need.length + " bytes");
    assertEquals(NeedList.of(all), NeedList.decode(need, manifest.size()));
  }
}
