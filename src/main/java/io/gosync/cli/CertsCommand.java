package io.gosync.cli;

import io.gosync.trust.ApiToken;
import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** gosync certs: the cluster's CA, API token and each node's key and certificate. */
@Command(name = "certs", description = "Make the cluster's CA and API token, and each node's key and certificate.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
final class CertsCommand implements Runnable {

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a certs command: init or issue");
  }

  /** gosync certs init DIR. */
  @Command(name = "init", description = "Make the cluster's CA and API token in DIR (created if missing). "
      + "DIR keeps the CA's key: keep it on the operator's machine, never copy it to a node.")
  static final class Init implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "the CA directory")
    Path dir;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public Integer call() {
      ClusterAuthority authority = ClusterAuthority.init(dir);
      System.out.printf("cluster CA %s in %s: %s, %s (keep it here), %s (the API token)%n",
          authority.certificate().getSubjectX500Principal().getName(), dir, NodeIdentity.CA_FILE,
          ClusterAuthority.KEY_FILE, ApiToken.FILE);
      System.out.printf("next, for each node: gosync certs issue %s NAME --host ADDR%n", dir);
      return Report.OK;
    }
  }

  /** gosync certs issue DIR NAME [--host ADDR]... [--force]. */
  @Command(name = "issue", description = "Issue node NAME's key and certificate, signed by the CA in DIR, "
      + "into DIR/NAME/: everything that host needs, to be copied there as it is and named by --certs.")
  static final class Issue implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the CA directory made by certs init")
    Path dir;

    @Parameters(index = "1", paramLabel = "NAME", description = "the node's name, as in its --name")
    String name;

    @Option(names = "--host", paramLabel = "ADDR",
        description = "an address or host name peers reach the node at (repeatable)")
    List<String> hosts;

    @Option(names = "--force", description = "issue anew over an existing DIR/NAME/")
    boolean force;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public Integer call() {
      Path issued = ClusterAuthority.open(dir).issue(name, hosts == null ? List.of() : hosts, force);
      System.out.printf("node %s: %s (%s); copy it to that host as it is%n", name, issued,
          String.join(", ", NodeIdentity.FILES));
      return Report.OK;
    }
  }
}
