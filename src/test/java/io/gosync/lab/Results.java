package io.gosync.lab;

import io.vertx.core.json.JsonObject;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark's figures: tables on the terminal, CSV, Markdown tables for the README and a PNG chart of the
 * lab's cold syncs. The lab's part and the loopback's are each there when they ran.
 */
final class Results {

  static final String CSV = "results.csv";
  static final String MARKDOWN = "results.md";
  static final String CHART = "chart.png";

  /** Top-level numbers of a task report whose names say the source read or hashed something. */
  private static final Pattern READ_FIGURE = Pattern.compile("(?i).*(read|hash).*");

  /** The lab's part, or null when only loopback scenarios ran. */
  private LabRun lab;
  private final List<Scenarios.Sample> samples = new ArrayList<>();
  private final List<Comparison> durability = new ArrayList<>();
  private final List<LoopbackSample> loopback = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private List<Long> peakRssMiB = List.of();
  /** The delta scenarios' part, or null when they did not run. */
  private DeltaTable delta;

  /** The lab the samples of {@link #add(Scenarios.Sample)} come from, its data set's bytes, and whether landing was durable. */
  void lab(Lab lab, long bytes, DataSet data, boolean durable) {
    this.lab = new LabRun(lab, bytes, data, durable);
  }

  /** The lab {@link #add(DeltaScenarios.SideBySide)}'s figures come from, the tree of its re-sync, and how it ran. */
  void delta(Lab lab, DataSet tree, boolean durable, int warmups) {
    this.delta = new DeltaTable(lab, tree, durable, warmups);
  }

  void add(DeltaScenarios.SideBySide measured) {
    delta.add(measured);
  }

  void add(LoopbackSample sample) {
    loopback.add(sample);
  }

  /** A sentence under the tables. */
  void note(String sentence) {
    notes.add(sentence);
    System.out.println("  " + sentence);
  }

  /**
   * What a task report says the source read or hashed, as "key=value, ...", or "" when it names no such
   * figure (as today: issue 11's persistent hash cache is to report one, under whatever name it chooses).
   */
  static String reportedReads(JsonObject report) {
    return report.fieldNames().stream().filter(key -> READ_FIGURE.matcher(key).matches())
        .filter(key -> report.getValue(key) instanceof Number).sorted()
        .map(key -> key + "=" + report.getValue(key)).collect(Collectors.joining(", "));
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
    return lab.bytes() * 8.0 / (lab.lab().rateMbit() * 1e6);
  }

  void print(PrintStream out) {
    out.println();
    out.print(markdown());
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(CSV), csv());
    Files.writeString(dir.resolve(MARKDOWN), markdown());
    if (lab != null) {
      BitmapEncoder.saveBitmap(chart(), dir.resolve(CHART).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /** What {@link #write} wrote, for the last line of a run. */
  String written(Path dir) {
    return dir.resolve(CSV) + ", " + dir.resolve(MARKDOWN) + (lab == null ? "" : ", " + dir.resolve(CHART));
  }

  /**
   * One line per sample, the lab's first, the delta's last. The columns after target_cpu_s_per_gib_landed are the
   * loopback's (and the source's read MiB, which the lab's restart row has too), the delta's from changed_mib (and
   * vs_rsync to goal, on its gosync rows); a column a row has no figure for is empty.
   */
  private String csv() {
    StringBuilder csv = new StringBuilder("scenario,tool,targets,median_s,wire_limit_ratio,runs_s,source_cpu_s_per_gib_sent,"
        + "target_cpu_s_per_gib_landed,source_read_mib,files,mib,mb_per_s,files_per_s,relay_cpu_s_per_gib,leaf_cpu_s_per_gib,"
        + "vs_rsync,vs_rsync_is,goal,changed_mib,source_link_mib,source_link_mib_runs,source_cpu_s,target_cpu_s\n");
    for (Scenarios.Sample sample : samples) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%s,%s,%s,%s,,,,,,,,,,,,,,%n", quoted(sample.scenario()), quoted(sample.tool()),
          sample.targets(), sample.median(), sample.median() / wireLimitSeconds(), runs(sample.seconds()),
          optional(sample.cpuPerGiB(), "%.2f"), optional(sample.targetCpuPerGiB(), "%.2f"), optional(sample.readMiB(), "%.1f")));
    }
    for (LoopbackSample sample : loopback) {
      LoopbackSample.Versus versus = sample.versus();
      csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,,%s,%s,,%s,%d,%.1f,%.1f,%.0f,%s,%s,%s,%s,%s,,,,,%n", quoted(sample.scenario()),
          quoted(sample.tool()), sample.copies(), sample.median(), runs(sample.seconds()), optional(sample.cpu().source(), "%.2f"),
          optional(sample.readMiB(), "%.1f"), sample.files(), sample.bytes() / 1048576.0, sample.megabytesPerSecond(),
          sample.filesPerSecond(), optional(sample.cpu().relay(), "%.2f"), optional(sample.cpu().leaf(), "%.2f"),
          versus == null ? "" : String.format(Locale.ROOT, "%.3f", versus.value()), versus == null ? "" : quoted(versus.meaning()),
          versus == null ? "" : quoted(versus.goal())));
    }
    csv.append(delta == null ? "" : delta.csv());
    return csv.toString();
  }

  /** A text field in double quotes (RFC 4180): scenario names hold commas ("cold, durable"). */
  static String quoted(String text) {
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  /** Each run's figure (seconds, say), separated by spaces, as one CSV field. */
  static String runs(List<Double> seconds) {
    return String.join(" ", seconds.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList());
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    if (lab != null) {
      md.append(labTable());
    }
    if (delta != null) {
      md.append(md.length() == 0 ? "" : "\n").append(delta.markdown());
    }
    if (!loopback.isEmpty()) {
      md.append(md.length() == 0 ? "" : "\n").append(loopbackTable());
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(note -> md.append(note).append('\n'));
    }
    return md.toString();
  }

  private String labTable() {
    StringBuilder md = new StringBuilder();
    DataSet data = lab.data();
    md.append(String.format(Locale.ROOT, "%s, %s. %d hosts (network namespaces) at %d Mbit/s; landing %s; data: %s in %d files "
            + "(one %d MiB file, %d small files), %d symlinks, %d empty directories. "
            + "One-copy wire limit %.1f s. Median of %d runs; \"fresh daemons\" is the first sync after the daemons started.%n%n",
        LocalDate.now(), Machine.describe(), lab.lab().hosts(), lab.lab().rateMbit(),
        lab.durable() ? "durable" : "not durable (--not-durable)", mib(lab.bytes()), data.smallFiles() + 1,
        data.bigBytes() >> 20, data.smallFiles(), data.symlinks(), data.emptyDirs(), wireLimitSeconds(),
        samples.stream().mapToInt(sample -> sample.seconds().size()).max().orElse(0)));
    md.append("| scenario | tool | N | time (s) | × wire limit | source CPU s/GiB sent | target CPU s/GiB landed | source read MiB |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Scenarios.Sample sample : samples) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %s | %s | %s |%n", sample.scenario(), sample.tool(),
          sample.targets(), sample.median(), sample.median() / wireLimitSeconds(),
          optional(sample.cpuPerGiB(), "%.1f"), optional(sample.targetCpuPerGiB(), "%.1f"), optional(sample.readMiB(), "%.1f")));
    }
    md.append(durabilityTable());
    if (!peakRssMiB.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%nDaemon peak RSS (VmHWM): source %d MiB; targets %s MiB.%n",
          peakRssMiB.get(0), peakRssMiB.subList(1, peakRssMiB.size())));
    }
    return md.toString();
  }

  private String loopbackTable() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%s, %s. Loopback: 3 gosync daemons as processes on "
        + "127.0.0.1 (TLS on), rsync daemons on 127.0.0.1; nothing shaped. Time: median of the runs (fresh daemons: the "
        + "first sync after they started). CPU s/GiB of one copy: gosync's daemons by role; rsync's sender (the "
        + "client) and receiver (the daemon's connection processes). Source read: MiB the source daemon read per run (rchar: files and sockets).%n%n",
        LocalDate.now(), Machine.describe()));
    md.append("| scenario | tool | copies | files | MiB | time (s) | MB/s | files/s | vs rsync | goal | CPU s/GiB | source read MiB |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |\n");
    for (LoopbackSample sample : loopback) {
      LoopbackSample.Versus versus = sample.versus();
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.2f | %.0f | %s | %s | %s | %s | %s |%n",
          sample.scenario(), sample.tool(), sample.copies(), sample.files(), sample.bytes() / 1048576.0, sample.median(),
          sample.megabytesPerSecond(), sample.files() > 1 ? String.format(Locale.ROOT, "%.0f", sample.filesPerSecond()) : "",
          versus == null ? "" : String.format(Locale.ROOT, "%.2f (%s)", versus.value(), versus.meaning()),
          versus == null ? "" : versus.goal(), sample.cpu().describe(), optional(sample.readMiB(), "%.1f")));
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
        .title(String.format(Locale.ROOT, "Cold sync of %s at %d Mbit/s per host", mib(lab.bytes()), lab.lab().rateMbit()))
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

  /** The lab's facts: its hosts and link rate, the data set and its bytes, and whether landing was durable. */
  private record LabRun(Lab lab, long bytes, DataSet data, boolean durable) {
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
