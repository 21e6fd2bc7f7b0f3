package io.gosync.protocol;

import io.gosync.testkit.Bits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prepare request and its reply: their JSON as on the wire, read back, and every bad field named. */
class PrepareTest {

  private static final Prepare PREPARE = new Prepare("t-1", "web1", "/srv/app", true, false,
      new ManifestRef("ab12", 3, 12345), null);

  @Test
  void aPrepareIsWrittenAsOnTheWire() {
    assertEquals("{\"taskId\":\"t-1\",\"source\":\"web1\",\"dst\":\"/srv/app\",\"delete\":true,\"overwrite\":false,"
        + "\"manifest\":{\"digest\":\"ab12\",\"chunks\":3,\"entries\":12345}}", PREPARE.toJson().encode());
  }

  @Test
  void aPrepareIsReadBack() {
    assertEquals(PREPARE, Prepare.fromJson(PREPARE.toJson()));
    assertEquals(PREPARE, Prepare.fromJson(new JsonObject(PREPARE.toJson().encode())));
  }

  @Test
  void aPrepareWithoutEntriesIsTaken() {
    JsonObject json = PREPARE.toJson();
    json.getJsonObject("manifest").remove("entries");
    assertEquals(0, Prepare.fromJson(json).manifest().entries());
  }

  @Test
  void noPrepareIsRefused() {
    assertRefused(null, "prepare");
  }

  @ParameterizedTest
  @ValueSource(strings = {"taskId", "source", "dst", "delete", "overwrite", "manifest"})
  void aMissingFieldIsNamed(String field) {
    JsonObject json = PREPARE.toJson();
    json.remove(field);
    assertRefused(json, field);
    assertRefused(PREPARE.toJson().putNull(field), field);
  }

  @Test
  void aFieldOfTheWrongTypeIsNamed() {
    assertRefused(PREPARE.toJson().put("taskId", 5), "taskId");
    assertRefused(PREPARE.toJson().put("source", true), "source");
    assertRefused(PREPARE.toJson().put("dst", 5), "dst");
    assertRefused(PREPARE.toJson().put("delete", "yes"), "delete");
    assertRefused(PREPARE.toJson().put("overwrite", 1), "overwrite");
    assertRefused(PREPARE.toJson().put("manifest", "abc"), "manifest");
  }

  @Test
  void aTaskIdOutsideTheRuleIsNamed() {
    for (String id : List.of("", "../x", "x".repeat(65), "a b")) {
      assertRefused(PREPARE.toJson().put("taskId", id), "taskId");
    }
  }

  @Test
  void aBadManifestFieldIsNamedInsideTheManifest() {
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("chunks", 1)), "manifest.digest");
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("digest", "ab")), "manifest.chunks");
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("digest", "ab").put("chunks", 1.5)),
        "manifest.chunks");
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("digest", "ab").put("chunks", "1")),
        "manifest.chunks");
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("digest", "ab").put("chunks", 1L << 31)),
        "manifest.chunks");
    assertRefused(PREPARE.toJson().put("manifest", new JsonObject().put("digest", "ab").put("chunks", 1)
        .put("entries", "many")), "manifest.entries");
  }

  // ---- the reply ----

  private static PrepareReply reply() {
    BitSet need = new BitSet();
    need.set(2);
    need.set(7);
    return new PrepareReply(NeedList.of(need), Partials.of(Map.of(7, 4096L)), Bits.needList(2), 2, 300, 4, 1, 0, 2, List.of("a.txt", "d/b.txt"), "10.0.0.2", 7000);
  }

  @Test
  void aReplyIsWrittenAsOnTheWire() {
    PrepareReply reply = reply();
    assertEquals("{\"need\":\"" + reply.need().toBase64() + "\",\"partials\":[[7,4096]],\"bases\":\""
        + reply.bases().toBase64() + "\",\"needFiles\":2,\"needBytes\":300,\"created\":4,"
        + "\"deleted\":1,\"fixed\":0,\"conflicts\":2,\"conflictPaths\":[\"a.txt\",\"d/b.txt\"],"
        + "\"dataHost\":\"10.0.0.2\",\"dataPort\":7000}",
        reply.toJson().encode());
  }

  @Test
  void aReplyIsReadBack() {
    assertEquals(reply(), PrepareReply.fromJson(reply().toJson(), 10));
    assertEquals(reply(), PrepareReply.fromJson(new JsonObject(reply().toJson().encode()), 10));
  }

  @Test
  void aReplyWithoutPartialsHoldsNone() {
    JsonObject json = reply().toJson();
    json.remove("partials");
    assertEquals(Partials.NONE, PrepareReply.fromJson(json, 10).partials());
  }

  @Test
  void aReplyWithoutBasesHoldsNone() {
    JsonObject json = reply().toJson();
    json.remove("bases");
    assertEquals(NeedList.NONE, PrepareReply.fromJson(json, 10).bases());
  }

  /** Issue 13: a base is a needed file, and not one resumed from a partial (which is no old version). */
  @Test
  void aBaseThatIsNotNeededOrIsAPartialIsRefusedAndNamed() {
    JsonObject notNeeded = reply().toJson().put("bases", Bits.needList(3).toBase64());
    assertEquals("bases: file 3 is not needed", assertThrows(IllegalArgumentException.class,
        () -> PrepareReply.fromJson(notNeeded, 10)).getMessage());
    JsonObject partial = reply().toJson().put("bases", Bits.needList(7).toBase64());
    assertEquals("bases: file 7 is a partial", assertThrows(IllegalArgumentException.class,
        () -> PrepareReply.fromJson(partial, 10)).getMessage());
    assertReplyRefused(reply().toJson().put("bases", "not base64!"), "need-list");
  }

  @Test
  void aReplyWithoutConflictPathsHasNone() {
    JsonObject json = reply().toJson();
    json.remove("conflictPaths");
    assertEquals(List.of(), PrepareReply.fromJson(json, 10).conflictPaths());
  }

  @ParameterizedTest
  @ValueSource(strings = {"need", "needFiles", "needBytes", "created", "deleted", "fixed", "conflicts"})
  void aMissingReplyFieldIsNamed(String field) {
    JsonObject json = reply().toJson();
    json.remove(field);
    assertReplyRefused(json, field);
  }

  @Test
  void aBadReplyFieldIsNamed() {
    assertReplyRefused(reply().toJson().put("needFiles", -1), "needFiles");
    assertReplyRefused(reply().toJson().put("needBytes", "300"), "needBytes");
    assertReplyRefused(reply().toJson().put("conflictPaths", new JsonArray().add(5)), "conflictPaths");
    assertReplyRefused(reply().toJson().put("conflictPaths", "a.txt"), "conflictPaths");
    assertReplyRefused(reply().toJson().put("need", 5), "need");
  }

  /** What a target says it holds of needed files: a bound list of [index, bytes], each index needed. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}                  | partials: must be a list",
      "[[2,1],[7,1],[7,2]] | partials: more than the 2 files needed",
      "[[3,100]]           | partials[0]: index 3 is not needed",
      "[[7,1],[2,1]]       | partials[1]: index 2 out of order",
      "[[7,0]]             | partials[0]: bytes must be at least 1",
      "[[7,-5]]            | partials[0]: bytes must be at least 1",
      "[[7,1.5]]           | partials[0]: must be [index, bytes]",
      "[[7,\"1\"]]         | partials[0]: must be [index, bytes]",
      "[[7]]               | partials[0]: must be [index, bytes]",
      "[7]                 | partials[0]: must be [index, bytes]",
      "[[7,99999999999999999999]] | partials[0]: must be [index, bytes]",
      "[[4294967303,1]]    | partials[0]: must be [index, bytes]"})
  void aBadPartialsListIsRefusedAndNamed(String partials, String why) {
    JsonObject json = new JsonObject(reply().toJson().encode().replace("[[7,4096]]", partials));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> PrepareReply.fromJson(json, 10));
    assertEquals(why, refused.getMessage());
  }

  @Test
  void aBadNeedListIsRefusedInItsOwnWords() {
    assertReplyRefused(reply().toJson().put("need", "not base64!"), "need-list");
    assertReplyRefused(reply().toJson().put("need", ""), "need-list");
    // index 7 lies beyond a manifest of 5 entries
    assertReplyRefused(reply().toJson(), 5, "need-list");
  }

  private static void assertRefused(JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prepare.fromJson(json),
        String.valueOf(json));
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }

  private static void assertReplyRefused(JsonObject json, String field) {
    assertReplyRefused(json, 10, field);
  }

  private static void assertReplyRefused(JsonObject json, int entries, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrepareReply.fromJson(json, entries), json.encode());
    assertTrue(e.getMessage().startsWith(field + ":"), "'" + field + ":' does not start: " + e.getMessage());
  }
}
