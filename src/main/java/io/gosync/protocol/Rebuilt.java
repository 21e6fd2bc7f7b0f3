package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a target built from old versions it held (issue 13): how many of the files it landed came as deltas, and
 * the bytes of theirs it took from the old versions instead of the stream. Beside a result's {@code bytes}, which
 * count what came, this is the per-file choice of delta or whole file made visible. Its encoding: the fields
 * {@code rebuiltFiles} and {@code keptBytes} of a result or a target line, both absent for none.
 */
public record Rebuilt(long files, long keptBytes) {

  public static final Rebuilt NONE = new Rebuilt(0, 0);

  public Rebuilt {
    if (files < 0 || keptBytes < 0 || (files == 0 && keptBytes > 0)) {
      throw new IllegalArgumentException(files + " files cannot keep " + keptBytes + " bytes");
    }
  }

  /** This and one more file, {@code kept} of whose bytes came from its old version. */
  public Rebuilt and(long kept) {
    return new Rebuilt(files + 1, keptBytes + kept);
  }

  JsonObject into(JsonObject json) {
    return files == 0 ? json : json.put("rebuiltFiles", files).put("keptBytes", keptBytes);
  }

  static Rebuilt from(JsonFields fields) {
    Long files = fields.optionalCount("rebuiltFiles");
    Long kept = fields.optionalCount("keptBytes");
    try {
      return new Rebuilt(files == null ? 0 : files, kept == null ? 0 : kept);
    } catch (IllegalArgumentException e) {
      throw fields.refused("rebuiltFiles", e.getMessage());
    }
  }
}
