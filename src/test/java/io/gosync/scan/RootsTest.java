package io.gosync.scan;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task paths are fenced into the node's root and its allowed directories, symlinks included. */
class RootsTest {

  @TempDir
  Path tmp;

  private Path root;
  private Path outside;
  private Roots roots;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("sentinel"), "keep me\n");
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(root.resolve("srv"));
    Files.createDirectories(root.resolve("etc"));
    roots = new Roots(root.toString(), List.of("/data", "/srv"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"data/x", "x", "./data/x", "~/data", ""})
  void refusesRelativePaths(String path) {
    assertRefused("dst", path, "absolute");
  }

  @Test
  void refusesAMissingPath() {
    assertRefused("src", null, "absolute");
  }

  @Test
  void refusesNul() {
    assertRefused("dst", "/data/a\0b", "dst");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/data", "/data/x", "/etc"})
  void aNodeWithoutAllowedDirectoriesRefusesEveryPathAndNamesTheFlag(String path) {
    Roots none = new Roots(root.toString(), List.of());

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> none.resolve("dst", path));

    assertTrue(refused.getMessage().startsWith("dst: "), refused.getMessage());
    assertTrue(refused.getMessage().contains("--allow DIR"), refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/etc", "/etc/passwd", "/database", "/dat", "/srv-other/x", "/tmp/x", "/data/../etc"})
  void refusesPathsOutsideTheAllowedDirectories(String path) {
    assertRefused("src", path, "outside the allowed directories");
  }

  @Test
  void namesTheFieldAndTheAllowedDirectories() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roots.resolve("dst", "/etc/x"));
    assertTrue(e.getMessage().startsWith("dst: /etc/x"), e.getMessage());
    assertTrue(e.getMessage().contains("[/data, /srv]"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/../etc", "/data/../../x", "/data/../../../../../etc/passwd"})
  void refusesPathsThatClimbOutOfTheRoot(String path) {
    assertRefused("dst", path, "root");
  }

  /** Every error names the request field, including the one for climbing out of the root. */
  @Test
  void climbingOutOfTheRootNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roots.resolve("dst", "/../etc"));
    assertTrue(e.getMessage().startsWith("dst:"), e.getMessage());
  }

  @Test
  void acceptsPathsInsideTheAllowedDirectories() throws IOException {
    Path real = root.toRealPath();
    assertEquals(real.resolve("data"), roots.resolve("dst", "/data"));
    assertEquals(real.resolve("data/a/b"), roots.resolve("dst", "/data/a/b"));
    assertEquals(real.resolve("srv/x"), roots.resolve("src", "/srv/x/"));
    assertEquals(real.resolve("srv/y"), roots.resolve("src", "/data/../srv/y"));
  }

  @Test
  void refusesAPathThatReachesOutThroughASymlink() throws IOException {
    Files.createSymbolicLink(root.resolve("data/out"), outside);
    assertRefused("dst", "/data/out", "symlink");
    assertRefused("dst", "/data/out/sentinel", "symlink");
    assertRefused("dst", "/data/out/new/deeper", "symlink");
    assertEquals(List.of("sentinel"), list(outside));
  }

  @Test
  void refusesASymlinkToTheNodeRootOrAnotherPartOfIt() throws IOException {
    Files.createSymbolicLink(root.resolve("data/up"), root);
    Files.createSymbolicLink(root.resolve("srv/etc"), root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("data/rel"), Path.of("../etc"));
    assertRefused("src", "/data/up/etc", "symlink");
    assertRefused("src", "/srv/etc", "symlink");
    assertRefused("src", "/data/rel/x", "symlink");
  }

  @Test
  void acceptsASymlinkThatStaysInsideTheAllowedDirectories() throws IOException {
    Files.createDirectories(root.resolve("srv/real"));
    Files.createSymbolicLink(root.resolve("data/alias"), root.resolve("srv/real"));
    assertEquals(root.toRealPath().resolve("srv/real/x"), roots.resolve("dst", "/data/alias/x"));
  }

  @Test
  void resolvingChangesNothing() throws IOException {
    roots.resolve("dst", "/data/new/deeper/still");
    assertFalse(Files.exists(root.resolve("data/new")));
  }

  private void assertRefused(String field, String path, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roots.resolve(field, path));
    assertTrue(e.getMessage().contains(reason), "'" + reason + "' not in: " + e.getMessage());
  }

  private static List<String> list(Path dir) throws IOException {
    try (var children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
