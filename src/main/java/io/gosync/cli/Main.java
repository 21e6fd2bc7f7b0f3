package io.gosync.cli;

import io.gosync.protocol.Constants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gosync command: one jar for daemons and clients. */
@Command(name = "gosync", version = "gosync " + Constants.VERSION,
    description = "Keeps one directory tree identical on many hosts, relaying the data down a tree of connections.")
public final class Main implements Runnable {

  /**
   * The commands by name, in the order the help lists them. Picocli builds a command's model by reflection over
   * its annotations when the command is registered: all six took 70 of the 210 ms of CPU a `gosync nodes` call
   * spent in Main (profiled, with a class-data archive and C1), so a call that names a command registers that
   * one alone (see {@link #commandLine}).
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--version", versionHelp = true, description = "show the version")
  boolean version;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine commandLine = commandLine(args);
    commandLine.setExecutionExceptionHandler((err, cmd, parsed) -> {
      cmd.getErr().println("gosync: " + err.getMessage());
      return err instanceof IllegalArgumentException ? Report.USAGE : Report.FAILED;
    });
    return commandLine.execute(args);
  }

  /**
   * The command line for these arguments: with only the command they name when the first one names one, else with
   * every command (gosync --help lists them; an unknown name gets picocli's suggestions).
   */
  static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      commandLine.addSubcommand(args[0], named);
    } else {
      COMMANDS.forEach(commandLine::addSubcommand);
    }
    return commandLine;
  }

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("daemon", DaemonCommand.class);
    commands.put("sync", SyncCommand.class);
    commands.put("status", StatusCommand.class);
    commands.put("nodes", NodesCommand.class);
    commands.put("demo", DemoCommand.class);
    commands.put("certs", CertsCommand.class);
    return Collections.unmodifiableMap(commands);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a command: daemon, sync, status, nodes, demo or certs");
  }
}
