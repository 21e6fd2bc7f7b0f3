package io.gosync.relay;

import io.vertx.core.VertxException;

/**
 * A receiver's stream stopped before its end frame and no ancestor took it over: nothing is wrong with this node
 * or what it landed, so the source may feed it again (see {@code Refeeds} in task control).
 */
final class StreamCutOff extends VertxException {

  StreamCutOff(String message) {
    super(message, true);
  }
}
