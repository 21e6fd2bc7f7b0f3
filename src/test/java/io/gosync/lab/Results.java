package io.gosync.lab;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures: a table on the terminal, CSV, a Markdown table for the README and a PNG chart. */
final class Results {

  static final String CSV = "results.csv";
  static final String MARKDOWN = "results.md";
  static final String CHART = "chart.png";

  private final Lab lab;
  private final long bytes;
  private final DataSet data;
  private final List<Scenarios.Sample> samples = new ArrayList<>();
  private final List<Comparison> durability = new ArrayList<>();
  private List<Long> peakRssMiB = List.of();

  Results(Lab lab, long bytes, DataSet data) {
    this.lab = lab;
    this.bytes = bytes;
    this.data = data;
  }

  void add(Scenarios.Sample sample) {
    samples.add(sample);
  }

  void addAll(List<Scenarios.Sample> more) {
    samples.addAll(more);
  }

  /** The same cold sync with its landing made durable and not: both are samples, and their ratio is reported. */
  void compare(Scenarios.Sample durable, Scenarios.Sample notDurable) {
    samples.add(durable);
    samples.add(notDurable);
    durability.add(new Comparison(durable, notDurable));
  }

  void peaks(List<Long> peakRssMiB) {
    this.peakRssMiB = List.copyOf(peakRssMiB);
  }

  /** The physical limit: one copy of the data over one link. */
  double wireLimitSeconds() {
    return bytes * 8.0 / (lab.rateMbit() * 1e6);
  }

  void print(PrintStream out) {
    out.println();
    out.print(markdown());
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(CSV), csv());
    Files.writeString(dir.resolve(MARKDOWN), markdown());
    BitmapEncoder.saveBitmap(chart(), dir.resolve(CHART).toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private String csv() {
    StringBuilder csv = new StringBuilder("scenario,tool,targets,median_s,wire_limit_ratio,runs_s,source_cpu_s_per_gib_sent,target_cpu_s_per_gib_landed\n");
    for (Scenarios.Sample sample : samples) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%s,%s,%s%n", sample.scenario(), sample.tool(), sample.targets(),
          sample.median(), sample.median() / wireLimitSeconds(),
          String.join(" ", sample.seconds().stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList()),
          optional(sample.cpuPerGiB(), "%.2f"), optional(sample.targetCpuPerGiB(), "%.2f")));
    }
    return csv.toString();
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%s, %s. %d hosts (network namespaces) at %d Mbit/s; data: %s in %d files "
            + "(one %d MiB file, %d small files), %d symlinks, %d empty directories. "
            + "One-copy wire limit %.1f s. Median of %d runs.%n%n",
        LocalDate.now(), Machine.describe(), lab.hosts(), lab.rateMbit(), mib(bytes), data.smallFiles() + 1,
        data.bigBytes() >> 20, data.smallFiles(), data.symlinks(), data.emptyDirs(), wireLimitSeconds(),
        samples.isEmpty() ? 0 : samples.get(0).seconds().size()));
    md.append("| scenario | tool | N | time (s) | × wire limit | source CPU s/GiB sent | target CPU s/GiB landed |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Scenarios.Sample sample : samples) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %s | %s |%n", sample.scenario(), sample.tool(),
          sample.targets(), sample.median(), sample.median() / wireLimitSeconds(),
          optional(sample.cpuPerGiB(), "%.1f"), optional(sample.targetCpuPerGiB(), "%.1f")));
    }
    md.append(durabilityTable());
    if (!peakRssMiB.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%nDaemon peak RSS (VmHWM): source %d MiB; targets %s MiB.%n",
          peakRssMiB.get(0), peakRssMiB.subList(1, peakRssMiB.size())));
    }
    return md.toString();
  }

  private String durabilityTable() {
    if (durability.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\nWhat durable landing costs (each setting measured after a restart of every daemon and the warm-ups):\n\n");
    md.append("| N | durable | time (s) | not durable | time (s) | durable / not |\n");
    md.append("| ---: | --- | ---: | --- | ---: | ---: |\n");
    for (Comparison pair : durability) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %s | %.2f | %.3f |%n", pair.durable().targets(),
          pair.durable().tool(), pair.durable().median(), pair.notDurable().tool(), pair.notDurable().median(), pair.ratio()));
    }
    return md.toString();
  }

  /** Time against N, one line per tool and fan-out, and the wire limit as the floor. */
  private XYChart chart() {
    XYChart chart = new XYChartBuilder().width(900).height(560)
        .title(String.format(Locale.ROOT, "Cold sync of %s at %d Mbit/s per host", mib(bytes), lab.rateMbit()))
        .xAxisTitle("targets (N)").yAxisTitle("seconds (median)").build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    Map<String, List<double[]>> lines = new LinkedHashMap<>();
    for (Scenarios.Sample sample : samples) {
      if (sample.scenario().equals("cold")) {
        String tool = sample.tool().equals("gosync n=" + sample.targets()) && sample.targets() > 2
            ? "gosync n=N (no relaying)" : sample.tool();
        lines.computeIfAbsent(tool, key -> new ArrayList<>()).add(new double[] {sample.targets(), sample.median()});
      }
    }
    double maxN = 1;
    for (Map.Entry<String, List<double[]>> line : lines.entrySet()) {
      double[] xs = line.getValue().stream().mapToDouble(point -> point[0]).toArray();
      double[] ys = line.getValue().stream().mapToDouble(point -> point[1]).toArray();
      chart.addSeries(line.getKey(), xs, ys);
      maxN = Math.max(maxN, xs[xs.length - 1]);
    }
    chart.addSeries("wire limit, one copy", new double[] {1, maxN}, new double[] {wireLimitSeconds(), wireLimitSeconds()})
        .setMarker(SeriesMarkers.NONE);
    return chart;
  }

  private record Comparison(Scenarios.Sample durable, Scenarios.Sample notDurable) {
    double ratio() {
      return durable.median() / notDurable.median();
    }
  }

  private static String optional(double value, String format) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
