package io.gosync.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one mapping of a failure to the code of a reply or an HTTP answer. */
class ReplyCodeTest {

  @Test
  void badInputIs400() {
    assertEquals(400, ReplyCode.of(new IllegalArgumentException("src: is required")));
  }

  @Test
  void aRefusalKeepsItsHttpCode() {
    for (int code : new int[] {400, 404, 409, 413, 500, 503, 599}) {
      assertEquals(code, ReplyCode.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "refused")));
    }
  }

  @Test
  void aRefusalWithAnotherCodeIs500() {
    for (int code : new int[] {-1, 0, 200, 399, 600, 1000}) {
      assertEquals(500, ReplyCode.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "refused")));
    }
  }

  @Test
  void noAnswerIs503() {
    assertEquals(503, ReplyCode.of(new ReplyException(ReplyFailure.TIMEOUT, "timed out")));
    assertEquals(503, ReplyCode.of(new ReplyException(ReplyFailure.NO_HANDLERS, "nobody there")));
  }

  @Test
  void anythingElseIs500() {
    assertEquals(500, ReplyCode.of(new ReplyException(ReplyFailure.ERROR, "broken")));
    assertEquals(500, ReplyCode.of(new IllegalStateException("surprise")));
  }
}
