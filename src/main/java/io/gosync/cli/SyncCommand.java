package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;

/** gosync sync: asks the source node to sync a tree to targets, shows progress, prints one line per target. */
@Command(name = "sync", description = "Sync SRC on the --via node to DST on every target.")
final class SyncCommand extends ClientCommand {

  @Spec
  CommandSpec spec;

  @Option(names = {"--src", "-src"}, required = true, paramLabel = "DIR", description = "source directory or file, on the --via node")
  String src;

  @Option(names = {"--dst", "-dst"}, required = true, paramLabel = "DIR", description = "destination path on every target")
  String dst;

  @Option(names = {"--targets", "-t"}, required = true, split = ",", paramLabel = "A,B,C",
      description = "targets: node names, hosts or host:data-port")
  List<String> targets;

  @Option(names = {"--delete", "-d"}, arity = "0..1", fallbackValue = "true", description = "delete what the source lacks")
  boolean delete;

  @Option(names = "--no-overwrite", description = "leave differing files alone and report them")
  boolean noOverwrite;

  @Option(names = "-o", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "overwrite differing files (seed spelling; -o=false is --no-overwrite)")
  Boolean overwrite;

  @Option(names = {"--compress", "-z"}, arity = "0..1", fallbackValue = "true", description = "compress the data stream (zstd)")
  boolean compress;

  @Option(names = {"--fanout", "-n"}, paramLabel = "N", description = "children per relay node (default: the source's config)")
  Integer fanout;

  @Override
  void check() {
    if (noOverwrite && Boolean.TRUE.equals(overwrite)) {
      throw new ParameterException(spec.commandLine(), "--no-overwrite contradicts -o=true");
    }
  }

  @Override
  int run(ApiClient client) throws IOException, InterruptedException {
    JsonObject task = new JsonObject().put("src", src).put("dst", dst).put("targets", new JsonArray(targets))
        .put("delete", delete).put("overwrite", !noOverwrite && !Boolean.FALSE.equals(overwrite)).put("compress", compress);
    if (fanout != null) {
      task.put("fanout", fanout);
    }
    String id = client.submit(task).getString("id");
    JsonObject done;
    try (ProgressView progress = ProgressView.forTerminal(!json)) {
      done = client.follow(id, progress::onEvent);
    }
    if (json) {
      System.out.println(done.encodePrettily());
    } else {
      Report.print(done, System.out);
    }
    return Report.exitCode(done);
  }
}
