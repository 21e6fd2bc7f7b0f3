package io.gosync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A line that says what machine the figures came from. */
final class Machine {

  private Machine() {
  }

  static String describe() {
    return first("/proc/cpuinfo", "model name", "unknown CPU") + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, " + first("/proc/meminfo", "MemTotal", "? kB") + " memory, Linux " + System.getProperty("os.version")
        + ", Java " + System.getProperty("java.version");
  }

  /** The value of the first "key: value" line of a /proc file. */
  private static String first(String file, String key, String unknown) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse(unknown);
    } catch (IOException e) {
      return unknown;
    }
  }
}
