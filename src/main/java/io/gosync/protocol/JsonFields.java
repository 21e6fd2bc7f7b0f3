package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed reads of the fields of one message from another node. Every failure is an
 * IllegalArgumentException whose message starts with the field's name ({@code manifest.chunks}
 * inside an object), so that a refusal always says which field was wrong. Layer one's records
 * and the data port's header read their fields through it.
 */
public final class JsonFields {

  private final JsonObject json;
  private final String prefix;

  private JsonFields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  /** The fields of {@code json}, which must be there; {@code what} names the message if not. */
  public static JsonFields of(JsonObject json, String what) {
    if (json == null) {
      throw new IllegalArgumentException(what + ": must be a JSON object");
    }
    return new JsonFields(json, "");
  }

  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  /** A string, or null when the field is absent or null. */
  public String optionalText(String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw refused(field, "must be a string");
    }
    return (String) value;
  }

  public String text(String field) {
    String text = optionalText(field);
    if (text == null) {
      throw refused(field, "is required");
    }
    return text;
  }

  /** A string turned into a value by {@code parse}, whose refusal is named after the field. */
  public <T> T parsed(String field, Function<String, T> parse) {
    String text = text(field);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw refused(field, e.getMessage());
    }
  }

  public boolean flag(String field) {
    if (!(json.getValue(field) instanceof Boolean flag)) {
      throw refused(field, "must be true or false");
    }
    return flag;
  }

  /** A whole number that fits an int; JSON from the wire may carry it as any kind of number. */
  public int whole(String field) {
    if (!(json.getValue(field) instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw refused(field, "must be a whole number");
    }
    return n.intValue();
  }

  /** A whole number from min to max. */
  public int whole(String field, int min, int max) {
    int value = whole(field);
    if (value < min || value > max) {
      throw refused(field, "must be from " + min + " to " + max);
    }
    return value;
  }

  /** A count or a size: a whole number, never negative. */
  public long count(String field) {
    if (!(json.getValue(field) instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw refused(field, "must be a whole number, 0 or more");
    }
    return n.longValue();
  }

  /** A count that may be absent or null. */
  public Long optionalCount(String field) {
    return has(field) ? count(field) : null;
  }

  /** The fields of the object in {@code field}, named {@code field.inner} when refused. */
  public JsonFields object(String field) {
    if (!(json.getValue(field) instanceof JsonObject object)) {
      throw refused(field, "must be a JSON object");
    }
    return new JsonFields(object, prefix + field + ".");
  }

  /** The raw object in {@code field}, for a message that reads it with its own fromJson. */
  public JsonObject rawObject(String field) {
    if (!(json.getValue(field) instanceof JsonObject object)) {
      throw refused(field, "must be a JSON object");
    }
    return object;
  }

  /** The raw list in {@code field}, for a message that reads it with its own fromJson. */
  public JsonArray rawArray(String field) {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw refused(field, "must be a list");
    }
    return array;
  }

  /** The fields of each object in the list in {@code field}, named {@code field[i].inner} when refused. */
  public List<JsonFields> objects(String field) {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw refused(field, "must be a list of JSON objects");
    }
    List<JsonFields> objects = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw refused(field + "[" + i + "]", "must be a JSON object");
      }
      objects.add(new JsonFields(object, prefix + field + "[" + i + "]."));
    }
    return objects;
  }

  /** A list of strings; an absent field is an empty list. */
  public List<String> texts(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String text)) {
          throw refused(field, "must be a list of strings");
        }
        texts.add(text);
      }
      return List.copyOf(texts);
    }
    throw refused(field, "must be a list of strings");
  }

  /** A refusal naming {@code field}, for checks that only the message itself knows. */
  public IllegalArgumentException refused(String field, String why) {
    return new IllegalArgumentException(prefix + field + ": " + why);
  }
}
