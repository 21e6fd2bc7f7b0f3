package io.gosync.scan;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names received files land under before their rename: {@code .gosync-<task>-<index>-<tag>.tmp}
 * in their final directory, where the tag is an HMAC of task and index under a secret of this
 * node. A later task removes such a file when a crash left it behind; a user's own file of that
 * shape is never touched, since nobody without the node's key can make a valid tag.
 */
public final class TempNames {

  private static final Pattern SHAPE = Pattern.compile("\\.gosync-(.+)-(\\d{1,10})-([0-9a-f]{16})\\.tmp");

  private final SecretKeySpec key;

  /** @param secret bytes only this node knows (see NodeIdentity#localSecret) */
  public TempNames(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  public String name(String taskId, int index) {
    return ".gosync-" + taskId + "-" + index + "-" + tag(taskId + "/" + index) + ".tmp";
  }

  /** True only for a name this node made. */
  public boolean isOurs(String name) {
    Matcher match = SHAPE.matcher(name);
    return match.matches() && tag(match.group(1) + "/" + match.group(2)).equals(match.group(3));
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
