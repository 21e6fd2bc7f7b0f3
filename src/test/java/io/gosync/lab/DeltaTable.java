package io.gosync.lab;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The delta scenarios' part of the results (issue 13): a Markdown table with a row per change and N, both tools'
 * medians side by side, and CSV rows, one per tool, in the columns of {@link Results}' file.
 */
final class DeltaTable {

  private final Lab lab;
  private final DataSet tree;
  private final boolean durable;
  private final int warmups;
  private final List<DeltaScenarios.SideBySide> rows = new ArrayList<>();

  /** The lab the figures come from, the tree of its re-sync, whether landing was durable, and each change's untimed rounds. */
  DeltaTable(Lab lab, DataSet tree, boolean durable, int warmups) {
    this.lab = lab;
    this.tree = tree;
    this.durable = durable;
    this.warmups = warmups;
  }

  void add(DeltaScenarios.SideBySide measured) {
    rows.add(measured);
  }

  String markdown() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%s, %s. Delta (issue 13): %d hosts (network namespaces) "
            + "at %d Mbit/s, TLS on, landing %s. Each run changes a source whose targets are in sync, then gosync (fan-out 1) "
            + "and rsync -a --delete%s (pushed to all N at once) sync it, each copy verified whole; median of %d runs after %d "
            + "untimed round(s) of the change. The re-sync's tree: one %d MiB file, %d small files of %d–%d KiB, %d symlinks, %d empty "
            + "directories. Changed: the bytes the change modified or added. Link: MiB the source host sent on its link "
            + "during the sync (data, TLS, headers, control). CPU: seconds per run of the source's side (gosync's daemon; "
            + "rsync's clients) and of the N targets' together (gosync's daemons; rsync's receivers and generators). "
            + "Goal: %s.%n%n",
        LocalDate.now(), Machine.describe(), lab.hosts(), lab.rateMbit(), durable ? "durable" : "not durable (--not-durable)",
        durable ? " --fsync (every copy is on this machine's one disk)" : "",
        rows.stream().mapToInt(measured -> measured.gosync().runs().size()).max().orElse(0), warmups,
        tree.bigBytes() >> 20, tree.smallFiles(), tree.minSmall() >> 10, tree.maxSmall() >> 10, tree.symlinks(),
        tree.emptyDirs(), DeltaScenarios.GOAL));
    md.append("| change | N | changed MiB | gosync s | rsync s | gosync ÷ rsync | gosync link MiB | rsync link MiB "
        + "| gosync link ÷ changed | gosync CPU s: source, targets | rsync CPU s: source, targets |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (DeltaScenarios.SideBySide measured : rows) {
      DeltaScenarios.Sample gosync = measured.gosync();
      DeltaScenarios.Sample rsync = measured.rsync();
      md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f, %.1f | %.1f, %.1f |%n",
          measured.change(), measured.targets(), measured.changedMiB(), gosync.median(), rsync.median(), measured.ratio(),
          gosync.sentMiB(), rsync.sentMiB(), gosync.sentMiB() / measured.changedMiB(), gosync.sourceCpuSeconds(),
          gosync.targetCpuSeconds(), rsync.sourceCpuSeconds(), rsync.targetCpuSeconds()));
    }
    return md.toString();
  }

  /**
   * A row per tool, each run's time and link MiB among them; gosync's also carries the ratio of the medians
   * (gosync's time over rsync's) and the goal. Changed MiB to the byte, as 1 KiB is 0.001 MiB.
   */
  String csv() {
    StringBuilder csv = new StringBuilder();
    for (DeltaScenarios.SideBySide measured : rows) {
      for (DeltaScenarios.Sample sample : List.of(measured.gosync(), measured.rsync())) {
        boolean gosync = sample == measured.gosync();
        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,,%s,,,,,,,,,,%s,%s,%s,%.6f,%.3f,%s,%.2f,%.2f%n",
            Results.quoted(measured.change()), Results.quoted(sample.tool()), measured.targets(), sample.median(),
            Results.runs(sample.runs().stream().map(DeltaScenarios.RunFigures::seconds).toList()),
            gosync ? String.format(Locale.ROOT, "%.3f", measured.ratio()) : "",
            gosync ? Results.quoted("time ÷ rsync's") : "", gosync ? Results.quoted(DeltaScenarios.GOAL) : "",
            measured.changedMiB(), sample.sentMiB(),
            Results.runs(sample.runs().stream().map(DeltaScenarios.RunFigures::sentMiB).toList()), sample.sourceCpuSeconds(),
            sample.targetCpuSeconds()));
      }
    }
    return csv.toString();
  }
}
