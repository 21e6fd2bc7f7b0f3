package io.gosync.scan;

import io.gosync.fs.Names;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names received files land under before their rename, in their final directory: a small file's
 * {@code .gosync-<task>-<index>-<tag>.tmp}, and a large file's {@code .gosync-p-<content>-<name>-<tag>.tmp},
 * named by what it will hold (the first 16 bytes of its SHA-256, and of the SHA-256 of its final name) so that
 * a later task finds a large file cut off part-way and resumes it (see {@link #partial}). The tag is an HMAC of
 * the rest under a secret of this node. A later task removes such a file when it is of no more use; a user's
 * own file of that shape is never touched, since nobody without the node's key can make a valid tag.
 */
public final class TempNames {

  private static final Pattern SHAPE = Pattern.compile("\\.gosync-(.+)-(\\d{1,10})-([0-9a-f]{16})\\.tmp");
  private static final Pattern PARTIAL = Pattern.compile("\\.gosync-p-([0-9a-f]{32})-([0-9a-f]{32})-([0-9a-f]{16})\\.tmp");

  private final SecretKeySpec key;

  /** @param secret bytes only this node knows (see NodeIdentity#localSecret) */
  public TempNames(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  public String name(String taskId, int index) {
    return ".gosync-" + taskId + "-" + index + "-" + tag(taskId + "/" + index) + ".tmp";
  }

  /**
   * The temporary name of a large file that will be called {@code finalName} and hold the content of SHA-256
   * {@code hash} (hex): the same in every task, so that what one task left of it another can resume.
   */
  public String partial(String finalName, String hash) {
    byte[] name = FileFacts.sha256().digest(Names.encode(finalName));
    String visible = hash.substring(0, 32) + "-" + HexFormat.of().formatHex(name, 0, 16);
    return ".gosync-p-" + visible + "-" + tag("p/" + visible) + ".tmp";
  }

  /** True only for a name this node made. */
  public boolean isOurs(String name) {
    Matcher match = SHAPE.matcher(name);
    if (match.matches()) {
      return tag(match.group(1) + "/" + match.group(2)).equals(match.group(3));
    }
    Matcher partial = PARTIAL.matcher(name);
    return partial.matches() && tag("p/" + partial.group(1) + "-" + partial.group(2)).equals(partial.group(3));
  }

  /** Whether the name has the shape of a large file's temporary name, ours or not: to be checked further. */
  public static boolean looksPartial(String name) {
    return name.startsWith(".gosync-p-");
  }

  private String tag(String what) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sum = mac.doFinal(what.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sum, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
