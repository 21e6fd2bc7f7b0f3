package io.gosync.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths from the network: everything that could climb out, be ambiguous or smuggle a NUL is refused. */
class WirePathTest {


  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd", "/", "//x"})
  void refusesAbsolutePaths(String path) {
    assertRefused(path, "absolute");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../x", "a/..", "a/../b", "a/../../x", "a/b/../../../x"})
  void refusesDotDotSegments(String path) {
    assertRefused(path, "'..'");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "./a", "a/.", "a/./b"})
  void refusesDotSegments(String path) {
    assertRefused(path, "'.'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a//b", "a/", "a/b/", "a///"})
  void refusesEmptySegments(String path) {
    assertRefused(path, "empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\0b", "\0", "a/\0/b", "a\0"})
  void refusesNul(String path) {
    assertRefused(path, "NUL");
  }

  @Test
  void refusesNamesLongerThan255Bytes() {
    assertRefused("n".repeat(256), "longer than 255");
    assertRefused("a/" + "n".repeat(256) + "/b", "longer than 255");
    // 128 two-byte characters: 128 chars, but 256 bytes
    assertRefused("é".repeat(128), "longer than 255");
  }

  @Test
  void acceptsNamesOf255Bytes() {
    assertAccepted("n".repeat(255));
    assertAccepted("a/" + "é".repeat(127) + "x");
  }

  @Test
  void refusesPathsLongerThanTheCap() {
    String path = longPath(WirePath.MAX_PATH_BYTES + 1);
    assertEquals(WirePath.MAX_PATH_BYTES + 1, path.length());
    assertRefused(path, "longer than " + WirePath.MAX_PATH_BYTES);
  }

  @Test
  void acceptsPathsBeyondPathMax() {
    assertAccepted(longPath(4097));
    assertAccepted(longPath(WirePath.MAX_PATH_BYTES));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "f.txt", "a/b/c", ".hidden", "..a", "a..", "...", "a b/c d", "ünïcødé/文件",
      "-rf", "a\\b", "~"})
  void acceptsOrdinaryPaths(String path) {
    assertAccepted(path);
  }

  @Test
  void emptyPathIsTheDestinationItself() {
    assertEquals("", WirePath.check(""));
  }

  @Test
  void refusesAMissingPath() {
    assertThrows(IllegalArgumentException.class, () -> WirePath.check(null));
  }

  @Test
  void errorsShowTheNulVisibly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WirePath.check("a\0b"));
    assertTrue(e.getMessage().contains("a\\x00b"), e.getMessage());
  }

  @Test
  void errorsShortenHugePaths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WirePath.check(longPath(100_000)));
    assertTrue(e.getMessage().length() < 400, "message of " + e.getMessage().length() + " chars");
  }

  /** A path of exactly {@code bytes} ASCII bytes, in names of at most 200 bytes. */
  private static String longPath(int bytes) {
    StringBuilder path = new StringBuilder();
    while (path.length() < bytes) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append("d".repeat(Math.max(1, Math.min(200, bytes - path.length()))));
    }
    return path.toString();
  }

  private static void assertRefused(String path, String reason) {
    IllegalArgumentException checked = assertThrows(IllegalArgumentException.class, () -> WirePath.check(path));
    assertTrue(checked.getMessage().contains(reason), "'" + reason + "' not in: " + checked.getMessage());
  }

  private static void assertAccepted(String path) {
    assertEquals(path, WirePath.check(path));
  }
}
