package io.gosync.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** defaults < --config file < GOSYNC_* environment < flags; bad settings fail with the key named. */
@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir
  Path dir;

  @Test
  void theHttpApiListensOnLoopbackByDefault(Vertx vertx) {
    NodeConfig config = load(vertx, null, NO_ENV, new JsonObject().put("name", "n0").put("host", "127.0.0.1"));

    assertEquals("127.0.0.1", config.httpBind());
    assertTrue(config.httpOnLoopback());
  }

  @Test
  void aClientReadsCertsThroughTheSameLayersAsTheDaemon() throws IOException {
    Path file = Files.writeString(dir.resolve("client.json"), new JsonObject().put("certs", "/from/file").encode());
    Map<String, String> env = Map.of("GOSYNC_CERTS", "/from/env");

    assertEquals("", ConfigLoader.clientValue("certs", null, NO_ENV, null));
    assertEquals("/from/file", ConfigLoader.clientValue("certs", null, NO_ENV, file));
    assertEquals("/from/env", ConfigLoader.clientValue("certs", null, env, file));
    assertEquals("/from/flag", ConfigLoader.clientValue("certs", "/from/flag", env, file));
  }

  @Test
  void defaultsComeFromTheShippedFile(Vertx vertx) {
    JsonObject shipped = ConfigLoader.defaults();

    NodeConfig config = load(vertx, null, NO_ENV, new JsonObject().put("name", "n0").put("host", "127.0.0.1"));

    assertEquals(shipped.getInteger("dataPort"), config.dataPort());
    assertEquals(shipped.getInteger("httpPort"), config.httpPort());
    assertEquals(shipped.getInteger("clusterPort"), config.clusterPort());
    assertEquals(shipped.getJsonArray("clusterMembers").getList(), config.clusterMembers());
    assertEquals(shipped.getString("clusterName"), config.clusterName());
    assertEquals(shipped.getString("root"), config.root());
    assertEquals(shipped.getJsonArray("allow").getList(), config.allow());
    assertEquals(shipped.getInteger("fanout"), config.fanout());
    assertEquals(shipped.getLong("stallTimeoutMs"), config.stallTimeoutMs());
  }

  @Test
  void fileOverridesDefaultsAndLeavesTheRest(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("dataPort", 9100).put("clusterName", "from-file")
        .put("allow", new JsonArray().add("/data").add("/srv")));

    NodeConfig config = load(vertx, file, NO_ENV, named());

    assertEquals(9100, config.dataPort());
    assertEquals("from-file", config.clusterName());
    assertEquals(List.of("/data", "/srv"), config.allow());
    assertEquals(ConfigLoader.defaults().getInteger("httpPort"), config.httpPort());
    assertEquals(ConfigLoader.defaults().getInteger("clusterPort"), config.clusterPort());
  }

  @Test
  void environmentOverridesTheFile(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("dataPort", 9100).put("httpPort", 9101).put("clusterName", "from-file"));
    Map<String, String> env = Map.of(
        "GOSYNC_DATA_PORT", "9200",
        "GOSYNC_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
        "GOSYNC_ALLOW", "/data,/srv",
        "GOSYNC_CLUSTER_HEARTBEAT_TIMEOUT_SECONDS", "7",
        "PATH", "/usr/bin",
        "DATA_PORT", "1");

    NodeConfig config = load(vertx, file, env, named());

    assertEquals(9200, config.dataPort());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.clusterMembers());
    assertEquals(List.of("/data", "/srv"), config.allow());
    assertEquals(7, config.clusterHeartbeatTimeoutSeconds());
    assertEquals(9101, config.httpPort(), "the file's value where the environment says nothing");
    assertEquals("from-file", config.clusterName());
    assertEquals(ConfigLoader.defaults().getInteger("clusterPort"), config.clusterPort(),
        "the default where neither says anything");
  }

  @Test
  void flagsOverrideTheEnvironment(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("dataPort", 9100).put("httpPort", 9101).put("fanout", 2));
    Map<String, String> env = Map.of("GOSYNC_DATA_PORT", "9200", "GOSYNC_HTTP_PORT", "9201", "GOSYNC_NAME", "env-name");
    JsonObject flags = new JsonObject().put("dataPort", 9300).put("host", "127.0.0.1")
        .put("clusterMembers", new JsonArray().add("127.0.0.1:6001"));

    NodeConfig config = load(vertx, file, env, flags);

    assertEquals(9300, config.dataPort());
    assertEquals(List.of("127.0.0.1:6001"), config.clusterMembers());
    assertEquals(9201, config.httpPort(), "the environment's value where no flag is given");
    assertEquals("env-name", config.name());
    assertEquals(2, config.fanout(), "the file's value where neither environment nor flags say anything");
  }

  @Test
  void flagsOverrideTheFileForStrings(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("name", "file-name").put("root", "/from/file"));

    NodeConfig config = load(vertx, file, Map.of("GOSYNC_ROOT", "/from/env"),
        new JsonObject().put("name", "flag-name").put("host", "127.0.0.1"));

    assertEquals("flag-name", config.name());
    assertEquals("/from/env", config.root());
  }

  @Test
  void environmentNames() {
    assertEquals("GOSYNC_DATA_PORT", ConfigLoader.envName("dataPort"));
    assertEquals("GOSYNC_CLUSTER_MEMBERS", ConfigLoader.envName("clusterMembers"));
    assertEquals("GOSYNC_CLUSTER_HEARTBEAT_TIMEOUT_SECONDS", ConfigLoader.envName("clusterHeartbeatTimeoutSeconds"));
    assertEquals("GOSYNC_ROOT", ConfigLoader.envName("root"));
    assertEquals("GOSYNC_REPLAY_WINDOW_MIB", ConfigLoader.envName("replayWindowMib"));
  }

  @Test
  void unknownKeyInTheFileFails(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("dataPrt", 9100));

    assertFailsNaming(vertx, file, NO_ENV, named(), "dataPrt");
  }

  @Test
  void unknownFlagKeyFails(Vertx vertx) {
    assertFailsNaming(vertx, null, NO_ENV, named().put("colour", "blue"), "colour");
  }

  @Test
  void nonNumberPortInTheFileFails(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("httpPort", "eighty"));

    assertFailsNaming(vertx, file, NO_ENV, named(), "httpPort");
  }

  @Test
  void nonNumberPortInTheEnvironmentFails(Vertx vertx) {
    assertFailsNaming(vertx, null, Map.of("GOSYNC_DATA_PORT", "90o0"), named(), "GOSYNC_DATA_PORT");
  }

  @Test
  void portOutOfRangeFails(Vertx vertx) throws IOException {
    assertFailsNaming(vertx, configFile(new JsonObject().put("dataPort", 70000)), NO_ENV, named(), "dataPort");
    assertFailsNaming(vertx, null, Map.of("GOSYNC_CLUSTER_PORT", "0"), named(), "clusterPort");
    assertFailsNaming(vertx, null, NO_ENV, named().put("httpPort", -1), "httpPort");
    assertFailsNaming(vertx, null, Map.of("GOSYNC_REPLAY_WINDOW_MIB", "0"), named(), "replayWindowMib");
    assertFailsNaming(vertx, null, NO_ENV, named().put("replayWindowMib", 257), "replayWindowMib");
    assertFailsNaming(vertx, null, Map.of("GOSYNC_STRAGGLER_AFTER_MS", "-1"), named(), "stragglerAfterMs");
    assertFailsNaming(vertx, null, NO_ENV, named().put("stragglerHeldPercent", 49), "stragglerHeldPercent");
    assertFailsNaming(vertx, null, NO_ENV, named().put("stragglerHeldPercent", 101), "stragglerHeldPercent");
    assertFailsNaming(vertx, null, NO_ENV, named().put("stragglerRatePercent", 0), "stragglerRatePercent");
    assertFailsNaming(vertx, null, NO_ENV, named().put("stragglerRatePercent", 101), "stragglerRatePercent");
  }

  @Test
  void missingConfigFileFails(Vertx vertx) {
    assertFailsNaming(vertx, dir.resolve("nope.json"), NO_ENV, named(), "--config");
  }

  @Test
  void configFileThatIsNotJsonFails(Vertx vertx) throws IOException {
    Path file = Files.writeString(dir.resolve("broken.json"), "{ \"dataPort\": ");

    assertFailsNaming(vertx, file, NO_ENV, named(), "configuration");
  }

  @Test
  void relativeRootFails(Vertx vertx) {
    assertFailsNaming(vertx, null, Map.of("GOSYNC_ROOT", "srv/gosync"), named(), "root");
  }

  @Test
  void relativeAllowFails(Vertx vertx) throws IOException {
    Path file = configFile(new JsonObject().put("allow", new JsonArray().add("/data").add("data2")));

    assertFailsNaming(vertx, file, NO_ENV, named(), "allow");
  }

  @Test
  void certsComesFromTheEnvironmentAndAFlagWins(Vertx vertx) {
    Map<String, String> env = Map.of("GOSYNC_CERTS", "/etc/gosync/from-env");

    assertEquals("/etc/gosync/from-env", load(vertx, null, env, named()).certs());
    assertEquals("/etc/gosync/from-flag", load(vertx, null, env, named().put("certs", "/etc/gosync/from-flag")).certs());
  }

  @Test
  void aWildcardHostFailsNamingHost(Vertx vertx) {
    // A node binds to its host alone and advertises it: all interfaces is no address to reach it at.
    for (String wildcard : List.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0")) {
      assertFailsNaming(vertx, null, NO_ENV, named().put("host", wildcard), "host");
      assertFailsNaming(vertx, null, NO_ENV, named().put("host", wildcard), "wildcard address");
    }
  }

  @Test
  void loadCompletesOnTheEventLoop(Vertx vertx, VertxTestContext test) {
    // The daemon's own way of calling it: a future, completed without blocking anybody.
    ConfigLoader.load(vertx, null, Map.of("GOSYNC_FANOUT", "4"), named())
        .onComplete(test.succeeding(config -> test.verify(() -> {
          assertEquals(4, config.fanout());
          test.completeNow();
        })));
  }

  private static JsonObject named() {
    return new JsonObject().put("name", "node-under-test").put("host", "127.0.0.1");
  }

  private Path configFile(JsonObject json) throws IOException {
    return Files.writeString(dir.resolve("gosync-" + System.nanoTime() + ".json"), json.encodePrettily());
  }

  /** Loads and waits: for the tests that expect a configuration. */
  private static NodeConfig load(Vertx vertx, Path file, Map<String, String> env, JsonObject flags) {
    try {
      return ConfigLoader.load(vertx, file, env, flags).await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("configuration not loaded within 20 s", e);
    }
  }

  private static void assertFailsNaming(Vertx vertx, Path file, Map<String, String> env, JsonObject flags, String key) {
    Future<NodeConfig> loading = ConfigLoader.load(vertx, file, env, flags);
    try {
      loading.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 20 s", e);
    } catch (Exception expected) {
      // examined below
    }
    assertTrue(loading.failed(), "expected a failure naming '" + key + "', got " + loading.result());
    Throwable cause = loading.cause();
    assertTrue(cause instanceof IllegalArgumentException, "expected an IllegalArgumentException, got " + cause);
    assertTrue(cause.getMessage().contains(key), "the message should name '" + key + "': " + cause.getMessage());
  }
}
