package io.gosync.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source's word to a relay to move a straggler out: read back whole, and refused naming a bad field. */
class StragglerMoveTest {

  private static final StragglerMove MOVE = new StragglerMove("deploy-42", "web3", "99 % of the last 5000 ms …");

  @Test
  void aMoveIsReadBack() {
    assertEquals(MOVE, StragglerMove.fromJson(new JsonObject(MOVE.toJson().encode())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"taskId", "straggler", "why"})
  void aMissingFieldIsNamed(String field) {
    JsonObject json = MOVE.toJson();
    json.remove(field);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> StragglerMove.fromJson(json));
    assertTrue(refused.getMessage().startsWith(field + ":"), refused.getMessage());
  }

  @Test
  void aBadTaskIdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> StragglerMove.fromJson(MOVE.toJson().put("taskId", "../x")));
  }
}
