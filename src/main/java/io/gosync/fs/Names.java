package io.gosync.fs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A name on Linux is bytes. gosync carries it as a Java String that maps back to exactly those
 * bytes: valid UTF-8 decodes as usual, and each byte that is not part of valid UTF-8 becomes the
 * lone surrogate U+DC80..U+DCFF (Python's "surrogateescape"). Valid UTF-8 never decodes to a lone
 * surrogate, so the mapping is one to one. Such strings are for the file system and the wire;
 * anything a person reads (reports, logs, JSON) goes through {@link #display}.
 */
public final class Names {

  private static final char ESCAPE_BASE = 0xDC00;

  private Names() {
  }

  public static String decode(byte[] bytes) {
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    while (in.hasRemaining()) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        for (int i = 0; i < result.length(); i++) {
          out.put((char) (ESCAPE_BASE | (in.get() & 0xFF)));
        }
      } else {
        break;
      }
    }
    return out.flip().toString();
  }

  public static byte[] encode(String name) {
    if (isAscii(name)) {
      return name.getBytes(StandardCharsets.ISO_8859_1);
    }
    ByteBuffer out = ByteBuffer.allocate(name.length() * 3);
    for (int i = 0; i < name.length(); ) {
      int point = name.codePointAt(i);
      i += Character.charCount(point);
      if (isEscape(point)) {
        out.put((byte) point);
      } else {
        out.put(new String(Character.toChars(point)).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** The name for people: escaped bytes as {@code \xNN}, control characters too, and {@code \} doubled. */
  public static String display(String name) {
    StringBuilder out = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = c >= 0x20 && c != 0x7F && c != '\\' && !isEscape(c);
      if (plain && out == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(name.length() + 8).append(name, 0, i);
      }
      if (plain) {
        out.append(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else {
        out.append(String.format("\\x%02x", c & 0xFF));
      }
    }
    return out == null ? name : out.toString();
  }

  /** @return the name's length in bytes on the file system */
  public static int byteLength(String name) {
    return isAscii(name) ? name.length() : encode(name).length;
  }

  private static boolean isEscape(int point) {
    return point >= 0xDC80 && point <= 0xDCFF;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
