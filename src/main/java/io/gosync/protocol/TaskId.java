package io.gosync.protocol;

import java.util.regex.Pattern;

/**
 * The task-id rule: 1-64 letters, digits, '_' or '-'. An id names event bus addresses
 * ({@code gosync.task.<id>.…}) and log lines, so it must be short and plain.
 */
public final class TaskId {

  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private TaskId() {
  }

  public static boolean isValid(String id) {
    return id != null && RULE.matcher(id).matches();
  }

  /** @return {@code id}, if it keeps the rule; else the refusal names {@code field} */
  public static String check(String field, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(field + ": must be 1-64 letters, digits, '_' or '-'");
    }
    return id;
  }
}
