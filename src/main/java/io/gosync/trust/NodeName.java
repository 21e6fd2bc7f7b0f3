package io.gosync.trust;

import java.util.regex.Pattern;

/**
 * The node-name rule: what a node may be called, in its configuration and in its certificate's CN.
 * config/NodeConfig still spells the same regex; it should call {@link #check} once it may import trust.
 */
public final class NodeName {

  /** 63 characters at most: a name is also a DNS label in the certificate's subject alternative names. */
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private NodeName() {
  }

  public static boolean isValid(String name) {
    return name != null && RULE.matcher(name).matches();
  }

  /** The name itself when it follows the rule; otherwise an IllegalArgumentException that says the rule. */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("node name '" + name
          + "' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
