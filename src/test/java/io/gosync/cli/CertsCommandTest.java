package io.gosync.cli;

import io.gosync.trust.NodeIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gosync certs init and issue as a user runs them: exit codes, what they print, what they leave. */
class CertsCommandTest {

  @TempDir
  Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream realOut;
  private PrintStream realErr;
  private String ca;

  @BeforeEach
  void captureOutput() {
    realOut = System.out;
    realErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    ca = tmp.resolve("ca").toString();
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(realOut);
    System.setErr(realErr);
  }

  @Test
  void initThenIssueMakeADirectoryThatLoadsAsTheNode() {
    assertEquals(Report.OK, Main.run("certs", "init", ca));
    assertEquals(Report.OK,
        Main.run("certs", "issue", ca, "node-1", "--host", "10.0.0.5", "--host", "node-1.example.org"));

    assertEquals("node-1", NodeIdentity.load(tmp.resolve("ca/node-1")).name());
    assertTrue(stdout().contains("next, for each node: gosync certs issue " + ca), stdout());
    assertTrue(stdout().contains("node node-1: " + tmp.resolve("ca/node-1")), stdout());
    assertEquals("", stderr());
  }

  @Test
  void initOverAnExistingCaIsAUsageErrorThatSaysWhy() {
    Main.run("certs", "init", ca);

    assertEquals(Report.USAGE, Main.run("certs", "init", ca));

    assertTrue(stderr().startsWith("gosync: " + tmp.resolve("ca/ca.pem") + ": exists already"), stderr());
  }

  @Test
  void issueOverAnExistingNodeIsAUsageErrorUnlessForced() throws Exception {
    Main.run("certs", "init", ca);
    Main.run("certs", "issue", ca, "node-1");
    String key = Files.readString(tmp.resolve("ca/node-1/node-key.pem"));

    assertEquals(Report.USAGE, Main.run("certs", "issue", ca, "node-1"));
    assertTrue(stderr().contains("--force issues it anew"), stderr());
    assertEquals(key, Files.readString(tmp.resolve("ca/node-1/node-key.pem")));

    assertEquals(Report.OK, Main.run("certs", "issue", ca, "node-1", "--force"));
    assertFalse(key.equals(Files.readString(tmp.resolve("ca/node-1/node-key.pem"))));
  }

  @Test
  void aBadNameIsAUsageError() {
    Main.run("certs", "init", ca);

    assertEquals(Report.USAGE, Main.run("certs", "issue", ca, "../escape"));

    assertTrue(stderr().contains("node name '../escape' must be"), stderr());
    assertFalse(Files.exists(tmp.resolve("escape")));
  }

  @Test
  void aBadHostIsAUsageError() {
    Main.run("certs", "init", ca);

    assertEquals(Report.USAGE, Main.run("certs", "issue", ca, "node-1", "--host", "10.0.0.256"));

    assertTrue(stderr().contains("--host '10.0.0.256': neither an IP address nor a host name"), stderr());
    assertFalse(Files.exists(tmp.resolve("ca/node-1")));
  }

  @Test
  void issueWithoutACaIsAUsageErrorNamingTheMissingFile() {
    assertEquals(Report.USAGE, Main.run("certs", "issue", ca, "node-1"));

    assertTrue(stderr().contains(tmp.resolve("ca/ca.pem") + ": missing"), stderr());
  }

  @Test
  void certsAloneAsksForInitOrIssue() {
    assertEquals(Report.USAGE, Main.run("certs"));

    assertTrue(stderr().contains("name a certs command: init or issue"), stderr());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
