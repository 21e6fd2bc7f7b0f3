package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a target built from old versions it held (issue 13): how many of the files it landed came as deltas, the
 * bytes of theirs that came ({@code deltaBytes}, part of a result's {@code bytes}; the rest came as whole files),
 * and those it took from the old versions instead ({@code keptBytes}). The per-file choice of delta or whole file,
 * made visible. Its encoding: the fields {@code rebuiltFiles}, {@code deltaBytes} and {@code keptBytes} of a result
 * or a target line, all absent for none.
 */
public record Rebuilt(long files, long deltaBytes, long keptBytes) {

  public static final Rebuilt NONE = new Rebuilt(0, 0, 0);

  public Rebuilt {
    if (files < 0 || deltaBytes < 0 || keptBytes < 0 || (files == 0 && deltaBytes + keptBytes > 0)) {
      throw new IllegalArgumentException(files + " files cannot have come as " + deltaBytes + " bytes and kept "
          + keptBytes);
    }
  }

  /** This and one more file, of which {@code came} bytes came and {@code kept} were taken from its old version. */
  public Rebuilt and(long came, long kept) {
    return new Rebuilt(files + 1, deltaBytes + came, keptBytes + kept);
  }

  JsonObject into(JsonObject json) {
    return files == 0 ? json : json.put("rebuiltFiles", files).put("deltaBytes", deltaBytes).put("keptBytes", keptBytes);
  }

  static Rebuilt from(JsonFields fields) {
    Long files = fields.optionalCount("rebuiltFiles");
    Long came = fields.optionalCount("deltaBytes");
    Long kept = fields.optionalCount("keptBytes");
    try {
      return new Rebuilt(files == null ? 0 : files, came == null ? 0 : came, kept == null ? 0 : kept);
    } catch (IllegalArgumentException e) {
      throw fields.refused("rebuiltFiles", e.getMessage());
    }
  }
}
