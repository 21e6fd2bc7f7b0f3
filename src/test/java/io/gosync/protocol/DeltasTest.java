package io.gosync.protocol;

import io.gosync.testkit.Bits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 13's two messages between a source and a target: the block lists offered, and the blocks lacked. Read
 * back as written, and a hostile peer's bad one refused in words that name what is wrong, before anything large
 * is allocated for it.
 */
class DeltasTest {

  private static final int MIB = 1 << 20;

  /** A list of a file of {@code blocks} MiB whose block hashes are all {@code fill}. */
  private static BlockList list(int blocks, int fill) {
    byte[] hashes = new byte[blocks * BlockList.HASH_BYTES];
    Arrays.fill(hashes, (byte) fill);
    return BlockList.of((long) blocks * MIB, hashes);
  }

  @Test
  void deltasAreReadBackAsWritten() {
    Deltas deltas = Deltas.of(Map.of(3, Bits.of(0, 7), 5, Bits.of()));

    assertEquals("[[3,\"gQ==\"],[5,\"\"]]", deltas.toJson().encode());
    assertEquals(deltas, Deltas.fromJson(new JsonArray(deltas.toJson().encode()), Bits.needList(3, 5), index -> 8));
    assertEquals(Bits.of(0, 7), deltas.missing(3));
    assertEquals(null, deltas.missing(4));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[[3,\"AQ==\"],[5,\"AQ==\"],[6,\"AQ==\"]] | deltas: more than the 2 files offered",
      "[[4,\"AQ==\"]]           | deltas[0]: index 4 was not offered",
      "[[5,\"AQ==\"],[3,\"AQ==\"]] | deltas[1]: index 3 out of order",
      "[[3,\"AQ==\"],[3,\"Ag==\"]] | deltas[1]: index 3 out of order",
      "[[3,1]]                  | deltas[0]: must be [index, blocks]",
      "[3]                      | deltas[0]: must be [index, blocks]",
      "[[3]]                    | deltas[0]: must be [index, blocks]",
      "[[3,\"not base64!\"]]    | deltas[0]: bad blocks (Illegal base64 character 20)",
      "[[3,\"AAAB\"]]           | deltas[0]: bad blocks (longer than 8 blocks)",
      "[[3,\"/w==\"]]           | deltas[0]: every one of the 8 blocks of the file",
      "[[3,\"AAE=\"]]           | deltas[0]: a block beyond the 8 blocks of the file"})
  void aBadDeltasListIsRefusedAndNamed(String json, String why) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Deltas.fromJson(new JsonArray(json), Bits.needList(3, 5), index -> 8));
    assertEquals(why, refused.getMessage());
  }

  @Test
  void anOfferIsReadBackAsWritten() {
    BlockOffer offer = new BlockOffer("t1", Map.of(2, list(3, 1), 9, list(2, 2)));

    JsonObject json = new JsonObject(offer.toJson().encode());

    assertEquals(List.of(2, 9), List.copyOf(BlockOffer.fromJson(json, Bits.needList(2, 9)).lists().keySet()));
    assertEquals(offer, BlockOffer.fromJson(json, Bits.needList(2, 9)));
  }

  @Test
  void aBadOfferIsRefusedAndNamed() {
    String list = Base64.getEncoder().encodeToString(list(3, 1).toBytes());
    assertOfferRefused(new JsonArray().add(new JsonArray().add(4).add(list)),
        "files[0]: index 4 is not a file held in another version");
    assertOfferRefused(new JsonArray().add(new JsonArray().add(9).add(list)).add(new JsonArray().add(2).add(list)),
        "files[1]: index 2 out of order");
    assertOfferRefused(new JsonArray().add(new JsonArray().add(2)), "files[0]: must be [index, list]");
    assertOfferRefused(new JsonArray().add(new JsonArray().add(2).add("AAAA")),
        "files[0]: a block list of 3 bytes: not a 12-byte header and whole 32-byte hashes, at most 131084 bytes");
    JsonArray tooMany = new JsonArray();
    String largest = Base64.getEncoder().encodeToString(list(BlockList.MAX_BLOCKS, 3).toBytes());
    for (int i = 0; i < 9; i++) {
      tooMany.add(new JsonArray().add(i).add(largest));
    }
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BlockOffer.fromJson(
        new JsonObject().put("taskId", "t1").put("files", tooMany), Bits.needList(0, 1, 2, 3, 4, 5, 6, 7, 8)));
    assertEquals("files: more than " + BlockOffer.MAX_LIST_BYTES + " bytes of block lists", refused.getMessage());
  }

  private static void assertOfferRefused(JsonArray files, String why) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> BlockOffer.fromJson(new JsonObject().put("taskId", "t1").put("files", files), Bits.needList(2, 9)));
    assertEquals(why, refused.getMessage());
  }
}
