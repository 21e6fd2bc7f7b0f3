package io.gosync.config;

import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's name is its certificate's, a node has a certs directory or does not start, and its state directory is absolute. */
class NodeConfigTest {

  @TempDir
  Path tmp;

  private NodeIdentity web1;

  @BeforeEach
  void issue() {
    web1 = NodeIdentity.load(ClusterAuthority.init(tmp.resolve("ca")).issue("web1", List.of("127.0.0.1"), false));
  }

  @Test
  void anUnsetNameBecomesTheCertificates() {
    NodeConfig named = config("").named(web1);

    assertEquals("web1", named.name());
    assertEquals(config("web1"), named, "only the name changed");
  }

  @Test
  void theCertificatesOwnNameIsKept() {
    NodeConfig config = config("web1");

    assertSame(config, config.named(web1));
  }

  @Test
  void anotherNameIsRefusedNamingBoth() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> config("web2").named(web1));

    assertTrue(refused.getMessage().startsWith("config key 'name': 'web2'"), refused.getMessage());
    assertTrue(refused.getMessage().contains("('web1')"), refused.getMessage());
  }

  @Test
  void noCertsDirectoryIsRefusedSayingHowToMakeOne() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> config("").certsDir());

    assertTrue(refused.getMessage().startsWith("config key 'certs'"), refused.getMessage());
    assertTrue(refused.getMessage().contains("gosync certs init"), refused.getMessage());
    assertTrue(refused.getMessage().contains("gosync certs issue"), refused.getMessage());
  }

  @Test
  void theStateDirectoryIsVarLibGosyncByDefaultAnAbsolutePathOrEmpty() {
    assertEquals("/var/lib/gosync", config("web1").stateDir());
    assertEquals("", withStateDir("").stateDir(), "empty keeps the hash cache in memory only");

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> withStateDir("state"));

    assertTrue(refused.getMessage().startsWith("config key 'stateDir': must be an absolute path"), refused.getMessage());
  }

  private static NodeConfig withStateDir(String dir) {
    return NodeConfig.fromJson(ConfigLoader.defaults().mergeIn(new JsonObject().put("host", "127.0.0.1")
        .put("stateDir", dir)));
  }

  private static NodeConfig config(String name) {
    return NodeConfig.fromJson(ConfigLoader.defaults().mergeIn(new JsonObject().put("name", name).put("host", "127.0.0.1")));
  }
}
