package io.gosync.cli;

import io.vertx.core.json.JsonObject;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/** Live progress per target on a terminal: one bar each (bytes, files, rate), drawn by progressbar. */
final class ProgressView implements AutoCloseable {

  private final boolean enabled;
  private final Map<String, ProgressBar> bars = new LinkedHashMap<>();

  private ProgressView(boolean enabled) {
    this.enabled = enabled;
  }

  /** Bars whether or not a person is watching: for the training run, whose bars nobody sees. */
  static ProgressView shown() {
    return new ProgressView(true);
  }

  /** Bars only when a person is watching: on a terminal, and not for --json. */
  static ProgressView forTerminal(boolean wanted) {
    return new ProgressView(wanted && System.console() != null);
  }

  synchronized void onEvent(JsonObject event) {
    if (!enabled || !"progress".equals(event.getString("type"))) {
      return;
    }
    long total = event.getLong("totalBytes", 0L);
    ProgressBar bar = bars.computeIfAbsent(event.getString("target"), target -> new ProgressBarBuilder()
        .setTaskName(target).setInitialMax(Math.max(total, 1)).setUnit(" MiB", 1 << 20).showSpeed()
        .setUpdateIntervalMillis(250).setConsumer(new InteractiveConsoleProgressBarConsumer(System.err)).build());
    bar.stepTo(event.getLong("bytes", 0L));
    bar.setExtraMessage(" " + event.getLong("files", 0L) + "/" + event.getLong("totalFiles", 0L) + " files");
  }

  @Override
  public synchronized void close() {
    bars.values().forEach(ProgressBar::close);
  }
}
