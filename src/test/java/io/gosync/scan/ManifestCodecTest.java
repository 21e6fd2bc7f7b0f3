package io.gosync.scan;

import io.gosync.fs.Timestamp;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifests and need-lists come from other nodes: decode must refuse anything malformed or dangerous. */
class ManifestCodecTest {

  private static final String HASH = "ab".repeat(32);

  private static Manifest good() {
    return Manifest.of(List.of(
        Entry.dir("", Timestamp.ofEpochNanos(1_000_000_000L), 0755),
        Entry.dir("a", Timestamp.ofEpochNanos(2_000_000_000L), 0700),
        Entry.file("a/f.txt", 3, Timestamp.ofEpochNanos(3_000_000_000L), 0644, HASH),
        Entry.link("a/l", "f.txt", Timestamp.ofEpochNanos(0)),
        Entry.file("g", 0, Timestamp.ofEpochNanos(4_000_000_000L), 0600, "00".repeat(32))));
  }

  @Test
  void aGoodManifestSurvivesTheRoundTrip() {
    assertEquals(good(), ManifestCodec.decode(ManifestCodec.encode(good())));
  }

  @Test
  void aSingleFileManifestSurvivesTheRoundTrip() {
    Manifest single = Manifest.of(List.of(Entry.file("", 5, Timestamp.ofEpochNanos(1L), 0644, HASH)));
    assertEquals(single, ManifestCodec.decode(ManifestCodec.encode(single)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../x", "..", "/etc/passwd", "/", "a//b", "a/", ".", "./x", "a/./b",
      "a\0b"})
  void refusesABadFilePath(String path) {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.file(path, 1, Timestamp.ofEpochNanos(1L), 0644, HASH))), "path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../x", "/tmp/x"})
  void refusesABadDirectoryOrLinkPath(String path) {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.dir(path, Timestamp.ofEpochNanos(1L), 0755))), "path");
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.link(path, "t", Timestamp.ofEpochNanos(0)))), "path");
  }

  @Test
  void refusesABadPathAfterGoodOnes() {
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.dir("a", Timestamp.ofEpochNanos(1L), 0755),
        Entry.file("a/ok", 1, Timestamp.ofEpochNanos(1L), 0644, HASH), Entry.file("a/../../escape", 1, Timestamp.ofEpochNanos(1L), 0644, HASH)));
    assertRefused(manifest, "'..'");
  }

  @Test
  void refusesOverlongNamesAndPaths() {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.file("n".repeat(256), 1, Timestamp.ofEpochNanos(1L), 0644, HASH))),
        "255");
    String deep = ("d".repeat(200) + "/").repeat(164) + "f"; // 32,965 bytes
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.file(deep, 1, Timestamp.ofEpochNanos(1L), 0644, HASH))),
        "longer than " + WirePath.MAX_PATH_BYTES);
  }

  @Test
  void refusesASecondRoot() {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.file("", 1, Timestamp.ofEpochNanos(1L), 0644, HASH))), "root");
  }

  @Test
  void refusesARootThatIsASymlink() {
    assertRefused(Manifest.of(List.of(Entry.link("", "/etc", Timestamp.ofEpochNanos(0)))), "symlink");
  }

  @Test
  void refusesASingleFileManifestWithMoreEntries() {
    assertRefused(Manifest.of(List.of(Entry.file("", 1, Timestamp.ofEpochNanos(1L), 0644, HASH), Entry.file("x", 1, Timestamp.ofEpochNanos(1L), 0644, HASH))),
        "single-file");
  }

  @Test
  void refusesAnEmptyLinkTarget() {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.link("l", "", Timestamp.ofEpochNanos(0)))), "link target");
  }

  @Test
  void refusesALinkTargetWithNul() {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.link("l", "a\0b", Timestamp.ofEpochNanos(0)))), "link target");
  }

  @Test
  void refusesANegativeFileSize() {
    assertRefused(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.file("f", -1, Timestamp.ofEpochNanos(1L), 0644, HASH))), "negative");
  }

  /**
   * A source's scan never puts anything below a symlink (it does not follow links); a manifest that
   * does would have a target create or replace entries through the link, outside its destination.
   */
  @Test
  void refusesAnEntryBelowASymlinkEntry() {
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(ManifestCodec.encode(Manifest.of(List.of(
        Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.link("l", "/etc", Timestamp.ofEpochNanos(0)), Entry.dir("l/evil", Timestamp.ofEpochNanos(1L), 0755))))));
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(ManifestCodec.encode(Manifest.of(List.of(
        Entry.dir("", Timestamp.ofEpochNanos(1L), 0755), Entry.link("l", "/etc", Timestamp.ofEpochNanos(0)), Entry.file("l/passwd", 1, Timestamp.ofEpochNanos(1L), 0644, HASH))))));
  }

  @Test
  void refusesTruncatedBytes() {
    byte[] encoded = ManifestCodec.encode(good());
    // Every cut that loses content (the frame's last bytes can be an empty end block that decode never reads)
    for (int length : new int[] {0, 1, 4, 12, encoded.length / 3, encoded.length / 2, encoded.length * 2 / 3}) {
      byte[] cut = Arrays.copyOf(encoded, length);
      assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(cut), "cut to " + length + " bytes");
    }
  }

  @Test
  void refusesTruncatedContent() throws IOException {
    // A complete zstd frame whose content stops in the middle of an entry.
    byte[] whole = raw(out -> {
      out.writeInt(2);
      out.writeInt(2);
      out.writeByte(Entry.Kind.DIR.ordinal());
      out.writeUTF("");
      out.writeLong(1L);
      out.writeInt(0);
      out.writeShort(0755);
      out.writeByte(Entry.Kind.FILE.ordinal());
      out.writeUTF("f");
      out.writeLong(10);
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(whole));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void refusesGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(garbage));
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode("{\"entries\":[]}".getBytes()));
  }

  @Test
  void refusesCompressedGarbage() {
    byte[] garbage = new byte[4096];
    new Random(8).nextBytes(garbage);
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(Zstd.compress(garbage)));
  }

  @Test
  void refusesAnUnknownFormat() throws IOException {
    byte[] bytes = raw(out -> {
      out.writeInt(1); // the format before names were bytes
      out.writeInt(1);
    });
    assertRefusedBytes(bytes, "format");
  }

  @Test
  void refusesBadEntryCounts() throws IOException {
    for (int count : new int[] {0, -1, Integer.MIN_VALUE, 50_000_001, Integer.MAX_VALUE}) {
      byte[] bytes = raw(out -> {
        out.writeInt(2);
        out.writeInt(count);
      });
      assertRefusedBytes(bytes, "entry count");
    }
  }

  @Test
  void refusesAnUnknownEntryKind() throws IOException {
    byte[] bytes = raw(out -> {
      out.writeInt(2);
      out.writeInt(1);
      out.writeByte(4);
      out.writeUTF("");
    });
    assertRefusedBytes(bytes, "kind");
  }

  private static void assertRefused(Manifest manifest, String reason) {
    assertRefusedBytes(ManifestCodec.encode(manifest), reason);
  }

  private static void assertRefusedBytes(byte[] bytes, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ManifestCodec.decode(bytes));
    assertTrue(e.getMessage().contains(reason), "'" + reason + "' not in: " + e.getMessage());
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  /** Hand-made manifest content, compressed the way the codec expects. */
  private static byte[] raw(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new ZstdOutputStream(bytes, 3))) {
      writer.write(out);
    }
    return bytes.toByteArray();
  }
}
