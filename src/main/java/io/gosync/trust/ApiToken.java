package io.gosync.trust;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** The cluster's HTTP API token: 256 random bits as URL-safe text, kept in a file named {@value #FILE}. */
public final class ApiToken {

  public static final String FILE = "token";

  private static final int BYTES = 32;
  /** 43 characters is what 32 bytes make in unpadded base64url; longer ones (e.g. 64 hex digits) are accepted. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43,256}");

  /**
   * Made on first use: every CLI call reads a token and never makes one, and seeding a SecureRandom (the
   * JDK's providers, /dev/urandom) was 13 ms of the CPU of a `gosync nodes` call (profiled).
   */
  private static final class Random {
    static final SecureRandom BITS = new SecureRandom();
  }

  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  static ApiToken generate() {
    byte[] bits = new byte[BYTES];
    Random.BITS.nextBytes(bits);
    return new ApiToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
  }

  /** Reads a token file; surrounding white space (the newline that {@link #write} adds) is ignored. */
  public static ApiToken read(Path file) {
    String text = new String(PemFiles.readBytes(file), StandardCharsets.US_ASCII).strip();
    if (!SHAPE.matcher(text).matches()) {
      throw new CertsFileException(file, "not an API token (expected 43 to 256 characters of A-Z a-z 0-9 _ -)");
    }
    return new ApiToken(text);
  }

  /** Creates the file with mode 0600, one line, so that {@code $(cat token)} is the token. */
  void write(Path file) {
    PemFiles.writePrivate(file, value + "\n");
  }

  public String value() {
    return value;
  }

  /** Whether an offered token is this one, in time that does not depend on where they differ. */
  public boolean matches(String offered) {
    return offered != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
        offered.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiToken token && token.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Never the value: a token must not end up in a log line. */
  @Override
  public String toString() {
    return "ApiToken[hidden]";
  }
}
