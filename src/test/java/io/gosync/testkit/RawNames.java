package io.gosync.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tree's names and link texts read as the bytes they are (through find, never through
 * {@link Path}, which turns a byte that is not UTF-8 into U+FFFD), shown escaped: every byte
 * outside printable ASCII, and the backslash, as {@code \xNN}.
 */
public final class RawNames {

  private RawNames() {
  }

  /**
   * One line per entry below root, sorted by name: {@code f caf\xe9}, {@code d dir},
   * {@code l link -> text}.
   */
  public static List<String> listing(Path root) {
    // %y: kind (f, d, l); %P: the name below root; %l: a link's text (empty otherwise). NUL ends each field.
    byte[] out = Commands.run("find", root.toString(), "-mindepth", "1", "-printf", "%y\\0%P\\0%l\\0");
    List<String> fields = split(out);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i + 2 < fields.size(); i += 3) {
      String kind = fields.get(i);
      lines.add(kind + " " + fields.get(i + 1) + ("l".equals(kind) ? " -> " + fields.get(i + 2) : ""));
    }
    lines.sort(null);
    return lines;
  }

  private static List<String> split(byte[] nulTerminated) {
    List<String> fields = new ArrayList<>();
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    for (byte b : nulTerminated) {
      if (b == 0) {
        fields.add(escape(field.toByteArray()));
        field.reset();
      } else {
        field.write(b);
      }
    }
    return fields;
  }

  public static String escape(byte[] name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name) {
      int c = b & 0xff;
      out.append(c > 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return out.toString();
  }
}
