package io.gosync.cli;

import io.gosync.protocol.Constants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The gosync command: one jar for daemons and clients. */
@Command(name = "gosync", version = "gosync " + Constants.VERSION,
    description = "Keeps one directory tree identical on many hosts, relaying the data down a tree of connections.",
    subcommands = {DaemonCommand.class, SyncCommand.class, StatusCommand.class, NodesCommand.class, DemoCommand.class,
        CertsCommand.class})
public final class Main implements Runnable {

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--version", versionHelp = true, description = "show the version")
  boolean version;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((err, cmd, parsed) -> {
      cmd.getErr().println("gosync: " + err.getMessage());
      return err instanceof IllegalArgumentException ? Report.USAGE : Report.FAILED;
    });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a command: daemon, sync, status, nodes, demo or certs");
  }
}
