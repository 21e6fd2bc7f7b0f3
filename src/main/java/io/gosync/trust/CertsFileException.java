package io.gosync.trust;

import java.nio.file.Path;

/**
 * A file of a certs directory is missing, unreadable, malformed or does not fit the others. It is an
 * IllegalArgumentException because it is the operator's input that is wrong (the CLI exits 2).
 */
public final class CertsFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CertsFileException(Path file, String what) {
    super(file + ": " + what);
    this.file = file;
  }

  public CertsFileException(Path file, String what, Throwable cause) {
    super(file + ": " + what, cause);
    this.file = file;
  }

  /** The file the message is about. */
  public Path file() {
    return file;
  }
}
