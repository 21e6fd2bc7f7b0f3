package io.gosync.cli;

import io.gosync.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing the command line only: nothing here talks to a daemon. */
class CommandLineTest {

  @Test
  void longSpellings() {
    SyncCommand sync = parseSync("sync", "--via", "10.0.0.5:9100", "--src", "/data/a", "--dst", "/data/b",
        "--targets", "node1,node2,10.0.0.7:8999", "--delete", "--no-overwrite", "--compress", "--fanout", "3", "--json");

    assertEquals("/data/a", sync.src);
    assertEquals("/data/b", sync.dst);
    assertEquals(List.of("node1", "node2", "10.0.0.7:8999"), sync.targets);
    assertTrue(sync.delete);
    assertTrue(sync.noOverwrite);
    assertNull(sync.overwrite);
    assertTrue(sync.compress);
    assertEquals(3, sync.fanout);
    assertTrue(sync.json);
    assertEquals("10.0.0.5:9100", sync.via.via);
    assertEquals("10.0.0.5", sync.via.host());
    assertEquals(9100, sync.via.port());
  }

  @Test
  void seedSpellings() {
    SyncCommand sync = parseSync("sync", "-h", "10.0.0.5", "-p", "9100", "-src", "/data/a", "-dst", "/data/b",
        "-t", "node1,node2", "-d=true", "-z", "-o=false", "-n", "3");

    assertEquals("/data/a", sync.src);
    assertEquals("/data/b", sync.dst);
    assertEquals(List.of("node1", "node2"), sync.targets);
    assertTrue(sync.delete);
    assertTrue(sync.compress);
    assertEquals(Boolean.FALSE, sync.overwrite);
    assertFalse(sync.noOverwrite);
    assertEquals(3, sync.fanout);
    assertFalse(sync.json);
    assertNull(sync.via.via);
    assertEquals("10.0.0.5", sync.via.host);
    assertEquals(9100, sync.via.port);
  }

  @Test
  void seedBareFlagsAndExplicitFalse() {
    SyncCommand bare = parseSync("sync", "-src", "/a", "-dst", "/b", "-t", "n1", "-d", "-z", "-o");
    assertTrue(bare.delete);
    assertTrue(bare.compress);
    assertEquals(Boolean.TRUE, bare.overwrite);

    SyncCommand off = parseSync("sync", "-src", "/a", "-dst", "/b", "-t", "n1", "-d=false", "-z=false");
    assertFalse(off.delete);
    assertFalse(off.compress);
    assertNull(off.overwrite);
  }

  @Test
  void defaultsWhenOnlyRequiredOptionsAreGiven() {
    SyncCommand sync = parseSync("sync", "--src", "/a", "--dst", "/b", "--targets", "n1");

    assertFalse(sync.delete);
    assertFalse(sync.noOverwrite);
    assertNull(sync.overwrite);
    assertFalse(sync.compress);
    assertNull(sync.fanout);
    // No address given: the local daemon on the documented default HTTP port.
    assertEquals("127.0.0.1", sync.via.host());
    assertEquals(ConfigLoader.defaults().getInteger("httpPort"), sync.via.port());
  }

  @Test
  void repeatedTargetOptionsAccumulate() {
    SyncCommand sync = parseSync("sync", "--src", "/a", "--dst", "/b", "-t", "n1,n2", "-t", "n3");

    assertEquals(List.of("n1", "n2", "n3"), sync.targets);
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(Report.USAGE, quietly("sync", "--src", "/a", "--dst", "/b", "-t", "n1", "--frobnicate"));
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    assertEquals(Report.USAGE, quietly("sync", "--dst", "/b", "-t", "n1"));
    assertEquals(Report.USAGE, quietly("sync", "--src", "/a", "--dst", "/b"));
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(Report.USAGE, quietly());
  }

  @Test
  void malformedViaIsAUsageError() {
    assertEquals(Report.USAGE, quietly("nodes", "--via", "no-port-here"));
    assertEquals(Report.USAGE, quietly("nodes", "--via", "127.0.0.1:http"));
  }

  @Test
  void contradictoryOverwriteFlagsAreAUsageError() {
    // Port 1: nothing listens there, and the check must come before any connection anyway.
    assertEquals(Report.USAGE, quietly("sync", "--via", "127.0.0.1:1", "--src", "/a", "--dst", "/b", "-t", "n1",
        "--no-overwrite", "-o=true"));
  }

  @Test
  void unknownOptionIsReportedByParseArgs() {
    CommandLine commandLine = Main.commandLine("sync");
    assertThrows(CommandLine.UnmatchedArgumentException.class,
        () -> commandLine.parseArgs("sync", "--src", "/a", "--dst", "/b", "-t", "n1", "--frobnicate"));
  }

  @Test
  void aCallThatNamesACommandBuildsThatCommandAlone() {
    assertEquals(Set.of("nodes"), Main.commandLine("nodes", "--via", "127.0.0.1:1").getSubcommands().keySet());
    assertEquals(Set.of("sync"), Main.commandLine("sync", "--help").getSubcommands().keySet());
  }

  @Test
  void helpListsEveryCommandUnderItsOwnName() {
    Output help = captured("--help");

    assertEquals(Report.OK, help.code(), help.text());
    for (Map.Entry<String, Class<?>> command : Main.COMMANDS.entrySet()) {
      assertEquals(command.getKey(), command.getValue().getAnnotation(Command.class).name());
      assertTrue(help.text().contains("\n  " + command.getKey() + " "), command.getKey() + " missing from\n" + help.text());
    }
  }

  @Test
  void aMisspelledCommandIsAUsageErrorThatListsTheCommands() {
    Output run = captured("snyc", "--src", "/a");

    assertEquals(Report.USAGE, run.code(), run.text());
    assertTrue(run.text().contains("'snyc'") && run.text().contains("\n  sync "), run.text());
  }

  private static SyncCommand parseSync(String... args) {
    ParseResult parsed = Main.commandLine(args).parseArgs(args);
    assertTrue(parsed.hasSubcommand(), "no subcommand parsed");
    Object command = parsed.subcommand().commandSpec().userObject();
    assertTrue(command instanceof SyncCommand, "parsed " + command);
    return (SyncCommand) command;
  }

  /** Main.run with its stderr kept out of the test output; returns the exit code. */
  private static int quietly(String... args) {
    return captured(args).code();
  }

  /** What Main.run printed, stdout and stderr together. */
  private record Output(int code, String text) {
  }

  private static Output captured(String... args) {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      System.setOut(capture);
      int code = Main.run(args);
      return new Output(code, sink.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
  }
}
