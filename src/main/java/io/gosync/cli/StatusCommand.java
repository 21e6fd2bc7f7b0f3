package io.gosync.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** gosync status: one task's state and per-target results. */
@Command(name = "status", description = "Show a task of the --via node.")
final class StatusCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "the task id that sync printed")
  String id;

  @Override
  int run(ApiClient client) throws IOException {
    JsonObject task = client.status(id);
    if (json) {
      System.out.println(task.encodePrettily());
    } else {
      System.out.println("state: " + task.getString("state"));
      Report.print(task, System.out);
    }
    return "done".equals(task.getString("state")) ? Report.exitCode(task) : Report.OK;
  }
}
