package io.gosync.control;

import io.gosync.protocol.Constants;
import io.gosync.protocol.ExpectedParents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Before a group's stream starts, the source tells every member which nodes may feed it
 * ({@link ExpectedParents}, over the mutual-TLS event bus): a target's relay accepts the stream only from one
 * of them, as its certificate names it. Lives on the control event loop.
 */
final class ParentNotices {

  private ParentNotices() {
  }

  /**
   * Sends each member its ancestors and waits for every answer.
   *
   * @return never fails: the members that did not acknowledge, each with the reason
   */
  static Future<Map<String, String>> tell(EventBus bus, String taskId, Map<String, List<String>> ancestors,
                                          long timeoutMs) {
    Map<String, Future<Void>> acks = new LinkedHashMap<>();
    ancestors.forEach((member, parents) -> acks.put(member,
        bus.request(nodeAddress(member, Constants.PARENTS), new ExpectedParents(taskId, parents).toJson(),
            new DeliveryOptions().setSendTimeout(timeoutMs)).mapEmpty()));
    return Future.join(new ArrayList<>(acks.values())).transform(all -> {
      Map<String, String> refused = new LinkedHashMap<>();
      acks.forEach((member, ack) -> {
        if (ack.failed()) {
          refused.put(member, "did not acknowledge the parents it may be fed by: " + describe(ack.cause()));
        }
      });
      return Future.succeededFuture(refused);
    });
  }

  /** A failed request to a target in the user's words. */
  static String describe(Throwable err) {
    if (err instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> "does not answer on the event bus (is its gosync daemon running?)";
        case TIMEOUT -> "did not answer in time";
        default -> reply.getMessage();
      };
    }
    return String.valueOf(err.getMessage());
  }
}
