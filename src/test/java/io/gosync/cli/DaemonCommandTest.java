package io.gosync.cli;

import io.gosync.trust.ClusterAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gosync daemon refusing to start, before it joins anything: no certificate, an address that is every
 * interface, a name that is not the certificate's. (Were it to start, the test would time out.)
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DaemonCommandTest {

  @TempDir
  Path tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream realErr;
  private String certs;

  @BeforeEach
  void issueAndCapture() {
    certs = ClusterAuthority.init(tmp.resolve("ca")).issue("web1", List.of("127.0.0.1"), false).toString();
    realErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(realErr);
  }

  @Test
  void withoutCertsItRefusesToStartAndSaysHowToMakeThem() {
    assertEquals(Report.USAGE, daemon("--host", "127.0.0.1"));

    assertTrue(stderr().contains("config key 'certs'"), stderr());
    assertTrue(stderr().contains("gosync certs init") && stderr().contains("gosync certs issue"), stderr());
  }

  @Test
  void aWildcardHostIsRefused() {
    assertEquals(Report.USAGE, daemon("--certs", certs, "--host", "0.0.0.0"));

    assertTrue(stderr().contains("config key 'host': '0.0.0.0' is the wildcard address"), stderr());
  }

  @Test
  void aNameThatIsNotTheCertificatesIsRefused() {
    assertEquals(Report.USAGE, daemon("--certs", certs, "--host", "127.0.0.1", "--name", "web2"));

    assertTrue(stderr().contains("config key 'name': 'web2' is not the name in"), stderr());
  }

  /** Free ports, so that a daemon that wrongly starts disturbs nothing else. */
  private static int daemon(String... args) {
    List<String> all = new ArrayList<>(List.of("daemon", "--data-port", port(), "--http-port", port(),
        "--cluster-port", port(), "--root", "/nonexistent-root", "--allow", "/nonexistent-root/data"));
    all.addAll(List.of(args));
    return Main.run(all.toArray(String[]::new));
  }

  private static String port() {
    return String.valueOf(FreePorts.next());
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
