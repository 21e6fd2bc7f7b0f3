package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one place a request is checked: every error starts with the name of the offending field. */
class TaskRequestTest {

  private static JsonObject valid() {
    return new JsonObject().put("src", "/data/src").put("dst", "/data/dst").put("targets", new JsonArray().add("node1"));
  }

  @Test
  void aValidRequestGetsItsDefaults() {
    TaskRequest request = TaskRequest.fromJson(valid(), 3);
    assertEquals("/data/src", request.src());
    assertEquals("/data/dst", request.dst());
    assertEquals(List.of("node1"), request.targets());
    assertFalse(request.delete());
    assertTrue(request.overwrite());
    assertFalse(request.compress());
    assertEquals(3, request.fanout());
    assertTrue(request.id().matches("[A-Za-z0-9_-]{1,64}"), request.id());
  }

  @Test
  void aFullRequestIsTakenAsGiven() {
    TaskRequest request = TaskRequest.fromJson(valid().put("id", "t-1_A").put("delete", true).put("overwrite", false)
        .put("compress", true).put("fanout", 64).put("targets", " node1, node2 ,,node1"), 1);
    assertEquals(new TaskRequest("t-1_A", "/data/src", "/data/dst", List.of("node1", "node2"), true, false, true, 64),
        request);
  }

  @Test
  void refusesNoRequest() {
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.fromJson(null, 1));
  }

  @Test
  void refusesAnEmptyRequestNamingSrc() {
    assertRefused(new JsonObject(), "src");
  }

  @ParameterizedTest
  @ValueSource(strings = {"src", "dst", "targets"})
  void refusesAMissingField(String field) {
    JsonObject request = valid();
    request.remove(field);
    assertRefused(request, field);
    assertRefused(request.copy().putNull(field), field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"src", "dst"})
  void refusesABlankPath(String field) {
    assertRefused(valid().put(field, ""), field);
    assertRefused(valid().put(field, "   "), field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"data/src", "src", "./data", "~/data", " /data/src"})
  void refusesARelativePath(String path) {
    assertRefused(valid().put("src", path), "src", "absolute");
    assertRefused(valid().put("dst", path), "dst", "absolute");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/data/..", "/data/../etc", "/../etc", "/data/a/../../../etc", "/.."})
  void refusesDotDot(String path) {
    assertRefused(valid().put("src", path), "src", "'..'");
    assertRefused(valid().put("dst", path), "dst", "'..'");
  }

  @Test
  void refusesNulInAPath() {
    assertRefused(valid().put("src", "/data/a\0b"), "src", "NUL");
    assertRefused(valid().put("dst", "/data/a\0b"), "dst", "NUL");
  }

  @Test
  void refusesPathsOfTheWrongType() {
    assertRefused(valid().put("src", 5), "src", "string");
    assertRefused(valid().put("dst", true), "dst", "string");
    assertRefused(valid().put("src", new JsonArray().add("/data/src")), "src", "string");
    assertRefused(valid().put("dst", new JsonObject().put("path", "/data/dst")), "dst", "string");
  }

  @Test
  void refusesTargetsOfTheWrongType() {
    assertRefused(valid().put("targets", 5), "targets");
    assertRefused(valid().put("targets", true), "targets");
    assertRefused(valid().put("targets", new JsonObject().put("node1", true)), "targets");
    assertRefused(valid().put("targets", new JsonArray().add("node1").add(2)), "targets");
    assertRefused(valid().put("targets", new JsonArray().add("node1").addNull()), "targets");
  }

  @Test
  void refusesNoTargets() {
    assertRefused(valid().put("targets", new JsonArray()), "targets");
    assertRefused(valid().put("targets", ""), "targets");
    assertRefused(valid().put("targets", " , ,"), "targets");
    assertRefused(valid().put("targets", new JsonArray().add(" ").add("")), "targets");
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "overwrite", "compress"})
  void refusesFlagsOfTheWrongType(String flag) {
    assertRefused(valid().put(flag, "true"), flag);
    assertRefused(valid().put(flag, 1), flag);
    assertRefused(valid().put(flag, new JsonArray()), flag);
  }

  @Test
  void refusesAnUnknownField() {
    assertRefused(valid().put("source", "/data/src"), "source", "unknown field");
    assertRefused(valid().put("Delete", true), "Delete", "unknown field");
    assertRefused(valid().put("", 1), "", "unknown field");
  }

  @Test
  void refusesABadFanout() {
    for (Object fanout : new Object[] {0, 65, 1.5, -1, 64.5, 1e10, Long.MAX_VALUE, "2", true, new JsonArray()}) {
      assertRefused(valid().put("fanout", fanout), "fanout", "1 to 64");
    }
  }

  @Test
  void acceptsTheFanoutLimits() {
    assertEquals(1, TaskRequest.fromJson(valid().put("fanout", 1), 8).fanout());
    assertEquals(64, TaskRequest.fromJson(valid().put("fanout", 64), 8).fanout());
    assertEquals(2, TaskRequest.fromJson(valid().put("fanout", 2.0), 8).fanout());
  }

  @Test
  void refusesABadId() {
    for (Object id : new Object[] {"", "a b", "../x", "a/b", "a.b", "x".repeat(65), "tâche", "a\0", 5, true}) {
      assertRefused(valid().put("id", id), "id");
    }
  }

  @Test
  void acceptsAnIdOf64Characters() {
    String id = "x".repeat(64);
    assertEquals(id, TaskRequest.fromJson(valid().put("id", id), 1).id());
  }

  @Test
  void theRequestJsonIsReadBack() {
    TaskRequest request = TaskRequest.fromJson(valid().put("id", "again").put("fanout", 4), 1);
    assertEquals(request, TaskRequest.fromJson(request.toJson(), 1));
  }

  private static void assertRefused(JsonObject request, String field, String... words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskRequest.fromJson(request, 1),
        request.encode());
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), "'" + word + "' not in: " + e.getMessage());
    }
  }
}
