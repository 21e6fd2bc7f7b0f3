package io.gosync.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a daemon's configuration through Vert.x Config, in the order we promise: the defaults
 * shipped in config/gosync.json, then the --config file, then GOSYNC_* environment variables,
 * then command-line flags. Later layers win. Unknown keys are refused, so a typo is an error
 * rather than a silently ignored setting.
 */
public final class ConfigLoader {

  /** Classpath location of the documented defaults (copied from the repository's config/). */
  static final String DEFAULTS_RESOURCE = "config/gosync.json";
  /** Environment variables with this prefix override configuration keys (GOSYNC_DATA_PORT → dataPort). */
  static final String ENV_PREFIX = "GOSYNC_";

  private ConfigLoader() {
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param configFile the --config file, or null
   * @param env        the environment (System.getenv() in a daemon)
   * @param flags      keys set on the command line
   */
  public static Future<NodeConfig> load(Vertx vertx, Path configFile, Map<String, String> env, JsonObject flags) {
    JsonObject defaults = defaults();
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(json(defaults));
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        return Future.failedFuture(new IllegalArgumentException("--config " + configFile + ": no such file"));
      }
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", configFile.toAbsolutePath().toString())));
    }
    JsonObject fromEnv;
    try {
      fromEnv = fromEnvironment(defaults, env);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    options.addStore(json(fromEnv)).addStore(json(flags));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .recover(err -> Future.failedFuture(new IllegalArgumentException(
            "cannot read configuration: " + err.getMessage(), err)))
        .map(merged -> {
          for (String key : merged.fieldNames()) {
            if (!defaults.containsKey(key)) {
              throw new IllegalArgumentException("unknown configuration key '" + key + "'");
            }
          }
          return NodeConfig.fromJson(merged);
        });
  }

  /**
   * One key's value for a client command, by the same layers as {@link #load} but without Vert.x Config,
   * whose Vert.x instance would cost a CLI call most of its start-up: the flag, else the key's GOSYNC_*
   * variable, else the --config file (unknown keys refused there too), else the default.
   *
   * @param flag       the value given on the command line, or null
   * @param configFile the --config file, or null
   */
  public static String clientValue(String key, String flag, Map<String, String> env, Path configFile) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.get(envName(key));
    if (fromEnv != null) {
      return fromEnv;
    }
    JsonObject defaults = defaults();
    if (configFile != null) {
      JsonObject file = readClientConfig(configFile);
      for (String name : file.fieldNames()) {
        if (!defaults.containsKey(name)) {
          throw new IllegalArgumentException("--config " + configFile + ": unknown configuration key '" + name + "'");
        }
      }
      if (file.getValue(key) instanceof String value) {
        return value;
      }
    }
    return defaults.getString(key);
  }

  private static JsonObject readClientConfig(Path configFile) {
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException("--config " + configFile + ": no such file");
    }
    try {
      return new JsonObject(Files.readString(configFile));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("--config " + configFile + ": cannot read it: " + e.getMessage(), e);
    }
  }

  private static ConfigStoreOptions json(JsonObject config) {
    return new ConfigStoreOptions().setType("json").setConfig(config);
  }

  /** GOSYNC_DATA_PORT=9000 becomes {"dataPort": 9000}; lists are comma separated. */
  static JsonObject fromEnvironment(JsonObject defaults, Map<String, String> env) {
    JsonObject out = new JsonObject();
    for (String key : defaults.fieldNames()) {
      String value = env.get(envName(key));
      if (value == null) {
        continue;
      }
      Object type = defaults.getValue(key);
      if (type instanceof JsonArray) {
        out.put(key, value);
      } else if (type instanceof Number) {
        try {
          out.put(key, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(envName(key) + ": expected a whole number, got '" + value + "'");
        }
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
