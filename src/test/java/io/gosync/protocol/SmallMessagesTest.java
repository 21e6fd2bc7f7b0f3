package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one- and two-field messages: finish, abort, keepalive, manifest chunk, submit reply, status request. */
class SmallMessagesTest {

  @Test
  void eachIsWrittenAsOnTheWire() {
    assertEquals("{\"taskId\":\"t-1\"}", new Finish("t-1").toJson().encode());
    assertEquals("{\"taskId\":\"t-1\",\"reason\":\"no word\"}", new Abort("t-1", "no word").toJson().encode());
    assertEquals("{\"source\":\"web1\"}", new Keepalive("web1").toJson().encode());
    assertEquals("{\"chunk\":2}", new ChunkRequest(2).toJson().encode());
    assertEquals("{\"id\":\"t-1\",\"source\":\"web1\"}", new SubmitReply("t-1", "web1").toJson().encode());
    assertEquals("{\"id\":\"t-1\"}", new StatusRequest("t-1").toJson().encode());
  }

  @Test
  void eachIsReadBack() {
    assertEquals(new Finish("t-1"), Finish.fromJson(new Finish("t-1").toJson()));
    assertEquals(new Abort("t-1", "no word"), Abort.fromJson(new Abort("t-1", "no word").toJson()));
    assertEquals(new Keepalive("web1"), Keepalive.fromJson(new Keepalive("web1").toJson()));
    assertEquals(new ChunkRequest(2), ChunkRequest.fromJson(new ChunkRequest(2).toJson()));
    assertEquals(new SubmitReply("t-1", "web1"), SubmitReply.fromJson(new SubmitReply("t-1", "web1").toJson()));
    assertEquals(new StatusRequest("t-1"), StatusRequest.fromJson(new StatusRequest("t-1").toJson()));
  }

  @Test
  void anAbortMayComeWithoutItsReason() {
    assertNull(Abort.fromJson(new JsonObject().put("taskId", "t-1")).reason());
  }

  @Test
  void aStatusRequestMayAskForAnyId() {
    assertEquals("no such/id", StatusRequest.fromJson(new JsonObject().put("id", "no such/id")).id());
  }

  @Test
  void eachBadFieldIsNamed() {
    assertRefused(Finish::fromJson, new JsonObject(), "taskId");
    assertRefused(Finish::fromJson, new JsonObject().put("taskId", "../x"), "taskId");
    assertRefused(Abort::fromJson, new JsonObject().put("taskId", 5), "taskId");
    assertRefused(Abort::fromJson, new JsonObject().put("taskId", "t-1").put("reason", 5), "reason");
    assertRefused(Keepalive::fromJson, new JsonObject(), "source");
    assertRefused(ChunkRequest::fromJson, new JsonObject(), "chunk");
    assertRefused(ChunkRequest::fromJson, new JsonObject().put("chunk", "0"), "chunk");
    assertRefused(ChunkRequest::fromJson, new JsonObject().put("chunk", 0.5), "chunk");
    assertRefused(SubmitReply::fromJson, new JsonObject().put("id", "t-1"), "source");
    assertRefused(SubmitReply::fromJson, new JsonObject().put("source", "web1"), "id");
    assertRefused(StatusRequest::fromJson, new JsonObject().put("id", 5), "id");
  }

  @Test
  void noMessageIsRefused() {
    List<Function<JsonObject, ?>> readers = List.of(Finish::fromJson, Abort::fromJson, Keepalive::fromJson,
        ChunkRequest::fromJson, SubmitReply::fromJson, StatusRequest::fromJson, NodeInfo::fromJson);
    for (Function<JsonObject, ?> read : readers) {
      assertThrows(IllegalArgumentException.class, () -> read.apply(null));
    }
  }

  @Test
  void aNodeMapEntryIsReadBackAndABadFieldIsNamed() {
    NodeInfo node = new NodeInfo("web1", "10.0.0.1", 7000, 8998, "0.1.0", "uuid-1");
    assertEquals("{\"name\":\"web1\",\"host\":\"10.0.0.1\",\"dataPort\":7000,\"httpPort\":8998,"
        + "\"version\":\"0.1.0\",\"clusterNodeId\":\"uuid-1\"}", node.toJson().encode());
    assertEquals(node, NodeInfo.fromJson(new JsonObject(node.toJson().encode())));
    for (String field : List.of("name", "host", "dataPort", "httpPort", "version", "clusterNodeId")) {
      JsonObject entry = node.toJson();
      entry.remove(field);
      assertRefused(NodeInfo::fromJson, entry, field);
    }
    assertRefused(NodeInfo::fromJson, node.toJson().put("dataPort", "7000"), "dataPort");
  }

  @Test
  void theTaskIdRuleIsOneRule() {
    assertTrue(TaskId.isValid("A-z_09"));
    assertTrue(TaskId.isValid("x".repeat(64)));
    for (String id : new String[] {null, "", "x".repeat(65), "a.b", "a/b", "tâche", "a\0"}) {
      assertFalse(TaskId.isValid(id), String.valueOf(id));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskId.check("taskId", "a b"));
    assertTrue(e.getMessage().startsWith("taskId:"), e.getMessage());
  }

  @Test
  void expectedParentsAreReadBackAndEachBadFieldIsNamed() {
    ExpectedParents told = new ExpectedParents("t-1", List.of("web2", "web1"));
    assertEquals("{\"taskId\":\"t-1\",\"parents\":[\"web2\",\"web1\"]}", told.toJson().encode());
    assertEquals(told, ExpectedParents.fromJson(new JsonObject(told.toJson().encode())));

    assertRefused(ExpectedParents::fromJson, told.toJson().put("taskId", "../x"), "taskId");
    assertRefused(ExpectedParents::fromJson, told.toJson().put("parents", new JsonArray()), "parents");
    assertRefused(ExpectedParents::fromJson, new JsonObject().put("taskId", "t-1"), "parents");
    assertRefused(ExpectedParents::fromJson, told.toJson().put("parents", new JsonArray().add(5)), "parents");
    assertRefused(ExpectedParents::fromJson, told.toJson().put("parents", new JsonArray().add("")), "parents");
  }

  private static void assertRefused(Function<JsonObject, ?> read, JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.apply(json), json.encode());
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }
}
