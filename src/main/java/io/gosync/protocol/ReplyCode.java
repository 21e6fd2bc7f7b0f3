package io.gosync.protocol;

import io.vertx.core.eventbus.ReplyException;

/**
 * The one mapping from a failure to the code a reply or an HTTP answer carries: bad input is
 * 400 wherever it was found; a verticle's own refusal keeps its code when it is an HTTP error
 * code; a peer that did not answer (timeout, no handler) is 503; anything else is 500.
 */
public final class ReplyCode {

  private ReplyCode() {
  }

  public static int of(Throwable err) {
    if (err instanceof IllegalArgumentException) {
      return 400;
    }
    if (!(err instanceof ReplyException reply)) {
      return 500;
    }
    return switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500;
      case TIMEOUT, NO_HANDLERS -> 503;
      default -> 500;
    };
  }
}
