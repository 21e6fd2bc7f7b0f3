package io.gosync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rsync's side of the benchmark: an rsync daemon with one writable module, and timed pushes to it.
 * The lab starts one inside each target host with {@link #writeConfig}; the loopback starts them
 * on 127.0.0.1 with {@link #onLoopback}, each on a port of its own.
 */
final class RsyncDaemon implements AutoCloseable {

  /** The module's name; the module is a directory the copies go below. */
  static final String MODULE = "data";
  private static final Duration WITHIN = Duration.ofMinutes(30);
  private static final Duration CHILDREN_GONE_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final Path module;

  private RsyncDaemon(Process process, int port, Path module) {
    this.process = process;
    this.port = port;
    this.module = module;
  }

  /** A daemon's config: the module over {@code module}, writable, as root (so owners and modes are kept). */
  static Path writeConfig(Path config, Path pidFile, Path module) throws IOException {
    return Files.writeString(config, String.join("\n",
        "pid file = " + pidFile,
        "[" + MODULE + "]",
        "path = " + module,
        "read only = false",
        "uid = root",
        "gid = root",
        "use chroot = yes", ""));
  }

  /** Starts a daemon on 127.0.0.1:port with its module over {@code module}; its config and log go to {@code work}. */
  static RsyncDaemon onLoopback(Path work, String name, Path module, int port) throws IOException, InterruptedException {
    Files.createDirectories(module);
    Path config = writeConfig(work.resolve(name + ".conf"), work.resolve(name + ".pid"), module);
    Process process = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--address=127.0.0.1", "--port=" + port,
        "--config=" + config).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
    Thread.sleep(500); // rsync binds at once; a daemon that did not start shows in the first push
    if (!process.isAlive()) {
      throw new IOException("the rsync daemon " + name + " exited with " + process.exitValue() + ": "
          + Files.readString(work.resolve(name + ".log")));
    }
    return new RsyncDaemon(process, port, module);
  }

  /** Where a copy pushed to {@code dir} of the module lands on this machine. */
  Path path(String dir) {
    return module.resolve(dir);
  }

  /** The URL of a directory of the module, for a push. */
  String url(String dir) {
    return "rsync://127.0.0.1:" + port + "/" + MODULE + "/" + dir + "/";
  }

  /**
   * CPU ticks of the receiving side so far: the processes the daemon forks for each connection (receiver and
   * generator) count for the daemon once it has waited for them, so this first waits until they are gone.
   */
  long receiverTicks() throws IOException, InterruptedException {
    return receiverTicks(process.toHandle());
  }

  /** The same for any rsync daemon: the lab's, which it starts inside each target with {@link #writeConfig}. */
  static long receiverTicks(ProcessHandle daemon) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + CHILDREN_GONE_WITHIN.toNanos();
    while (daemon.children().findAny().isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the rsync daemon's connection processes did not end within " + CHILDREN_GONE_WITHIN.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
    return ProcFigures.waitedChildrenTicks(daemon.pid());
  }

  /**
   * Runs these rsync client commands at once and waits for all: their wall time, and the CPU ticks they used
   * (this JVM's waited-for children gain exactly theirs: nothing else it started ends meanwhile).
   */
  static Push push(Path logs, List<List<String>> commands) throws IOException, InterruptedException {
    long self = ProcessHandle.current().pid();
    long ticks = ProcFigures.waitedChildrenTicks(self);
    long started = System.nanoTime();
    List<Process> pushes = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      pushes.add(new ProcessBuilder(commands.get(i)).redirectErrorStream(true)
          .redirectOutput(logs.resolve("rsync-push-" + i + ".log").toFile()).start());
    }
    for (int i = 0; i < pushes.size(); i++) {
      Process push = pushes.get(i);
      if (!push.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS) || push.exitValue() != 0) {
        push.destroyForcibly();
        throw new IOException(String.join(" ", commands.get(i)) + " failed:\n"
            + Files.readString(logs.resolve("rsync-push-" + i + ".log")));
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Push(seconds, ProcFigures.waitedChildrenTicks(self) - ticks);
  }

  /** One timed push: wall seconds, and the CPU ticks of the rsync clients (the senders). */
  record Push(double seconds, long senderTicks) {
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
