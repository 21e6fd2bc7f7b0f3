package io.gosync.relay.wire;

import io.vertx.core.json.JsonObject;

/** Reads fields of JSON from a peer, each check naming the field it refuses. */
final class JsonFields {

  private JsonFields() {
  }

  static String text(JsonObject json, String field) {
    if (json.getValue(field) instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException(field + " is missing or not a string");
  }

  static int integer(JsonObject json, String field, int min, int max) {
    if (json.getValue(field) instanceof Integer value && value >= min && value <= max) {
      return value;
    }
    throw new IllegalArgumentException(field + " is missing or not an integer in " + min + ".." + max);
  }

  static JsonObject object(JsonObject json, String field) {
    if (json.getValue(field) instanceof JsonObject object) {
      return object;
    }
    throw new IllegalArgumentException(field + " is missing or not an object");
  }
}
