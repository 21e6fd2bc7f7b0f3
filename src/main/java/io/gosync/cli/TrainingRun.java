package io.gosync.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gosync.trust.ApiToken;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The training run behind the launcher's class-data archive (src/main/sh/gosync). At `mvn package` a JVM
 * started with -XX:ArchiveClassesAtExit runs this; the archive then holds every class these calls loaded, and
 * a later call maps them instead of reading, parsing and verifying them from the jar. The calls are the CLI's
 * own, each as an operator types it (help, a usage error, nodes, sync with its event stream, status, --json),
 * against a stub of the daemon's HTTP API on loopback that answers at once, with a token in a temporary certs
 * directory: nothing else is reached and nothing is written but that directory, removed afterwards.
 */
public final class TrainingRun {

  private static final String TASK_ID = "training";
  /** A token of the documented shape; the stub takes any. */
  private static final String TOKEN = "training-token-not-a-secret-0123456789abcdef";
  private static final String TASK = """
      {"id":"training","source":"node0","request":{"src":"/srv/app","dst":"/srv/app","targets":["node1"],
       "delete":true,"overwrite":true,"compress":false},"state":"done","message":null,"files":2,"bytes":1536,
       "groups":1,"startedAt":1,"finishedAt":2,"ok":true,"targets":[{"target":"node1","node":"node1",
       "status":"ok","files":2,"bytes":1536,"totalFiles":2,"totalBytes":1536,"created":2,"deleted":0,"fixed":0,
       "conflicts":0,"via":"node0","skipped":0,"skippedPaths":[],"message":null}]}""";
  private static final String PROGRESS =
      "{\"type\":\"progress\",\"taskId\":\"training\",\"target\":\"node1\",\"files\":1,\"bytes\":1024,"
          + "\"totalFiles\":2,\"totalBytes\":1536}";
  private static final String NODES = """
      [{"name":"node0","host":"127.0.0.1","dataPort":8999,"httpPort":8998,"version":"0.1.0","clusterNodeId":"a"},
       {"name":"node1","host":"127.0.0.2","dataPort":8999,"httpPort":8998,"version":"0.1.0","clusterNodeId":"b"}]""";

  private TrainingRun() {
  }

  public static void main(String[] args) throws IOException {
    Path certs = Files.createTempDirectory("gosync-training-");
    HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try {
      Files.writeString(certs.resolve(ApiToken.FILE), TOKEN + "\n");
      stub.createContext("/api/v1/", TrainingRun::answer);
      stub.start();
      String via = "127.0.0.1:" + stub.getAddress().getPort();
      runQuietly(via, certs.toString());
      drawABar();
    } finally {
      stub.stop(0);
      Files.deleteIfExists(certs.resolve(ApiToken.FILE));
      Files.delete(certs);
    }
  }

  /** Each call with its output thrown away; a call that exits otherwise than an operator's would fails the build. */
  private static void runQuietly(String via, String certs) {
    List<Call> calls = List.of(Call.of(Report.OK, "--help"), Call.of(Report.OK, "sync", "--help"),
        Call.of(Report.USAGE, "sync", "--via", via, "--certs", certs, "--dst", "/srv/app", "-t", "node1"),
        Call.of(Report.OK, "nodes", "--via", via, "--certs", certs),
        Call.of(Report.OK, "nodes", "--via", via, "--certs", certs, "--json"),
        Call.of(Report.OK, "sync", "--via", via, "--certs", certs, "--src", "/srv/app", "--dst", "/srv/app",
            "-t", "node1", "--delete"),
        Call.of(Report.OK, "sync", "--via", via, "--certs", certs, "--src", "/srv/app", "--dst", "/srv/app",
            "-t", "node1", "--json"),
        Call.of(Report.OK, "status", "--via", via, "--certs", certs, TASK_ID));
    PrintStream out = System.out;
    PrintStream err = System.err;
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, UTF_8)) {
      System.setOut(nowhere);
      System.setErr(nowhere);
      for (Call call : calls) {
        int code = Main.run(call.args().toArray(String[]::new));
        if (code != call.expected()) {
          throw new IllegalStateException("training call gosync " + String.join(" ", call.args()) + " exited "
              + code + ", expected " + call.expected());
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** What sync draws on a terminal, which the training run is not on: a bar (to stderr, thrown away). */
  private static void drawABar() {
    PrintStream err = System.err;
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, UTF_8)) {
      System.setErr(nowhere);
      try (ProgressView bars = ProgressView.shown()) {
        bars.onEvent(new JsonObject(PROGRESS));
      }
    } finally {
      System.setErr(err);
    }
  }

  /** The stub: the node list, a submitted task's id, its event stream (a progress event, then done), its state. */
  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    exchange.getRequestBody().readAllBytes();
    if (path.equals("/api/v1/nodes")) {
      reply(exchange, "application/json", NODES);
    } else if (path.equals("/api/v1/tasks") && "POST".equals(exchange.getRequestMethod())) {
      reply(exchange, "application/json", "{\"id\":\"" + TASK_ID + "\"}");
    } else if (path.equals("/api/v1/tasks/" + TASK_ID + "/events")) {
      String done = new JsonObject(TASK).put("type", "done").put("taskId", TASK_ID).encode();
      reply(exchange, "text/event-stream", "event: progress\ndata: " + PROGRESS + "\n\nevent: done\ndata: " + done
          + "\n\n");
    } else if (path.equals("/api/v1/tasks/" + TASK_ID)) {
      reply(exchange, "application/json", TASK);
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    }
  }

  private static void reply(HttpExchange exchange, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** One CLI call and the exit code an operator would get from it. */
  private record Call(int expected, List<String> args) {
    static Call of(int expected, String... args) {
      return new Call(expected, List.of(args));
    }
  }
}
