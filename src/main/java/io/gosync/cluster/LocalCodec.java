package io.gosync.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Lets the verticles of one node pass immutable records (manifests, plans) to each other over
 * the local event bus without copying or serialising them. Records never cross the cluster:
 * the cluster-wide API is JSON and binary buffers only, and this codec refuses the wire.
 */
public final class LocalCodec implements MessageCodec<Record, Record> {

  static final String NAME = "gosync-local";

  public static void register(EventBus bus) {
    bus.registerCodec(new LocalCodec());
    bus.codecSelector(body -> body instanceof Record ? NAME : null);
  }

  @Override
  public void encodeToWire(Buffer buffer, Record record) {
    throw new IllegalStateException(record.getClass().getSimpleName() + " is a node-local message");
  }

  @Override
  public Record decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException("node-local messages do not travel the cluster");
  }

  @Override
  public Record transform(Record record) {
    return record;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
