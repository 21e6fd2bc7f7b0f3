package io.gosync.liveness;

/**
 * How long something has gone without a sign of life: the one rule behind every silence and
 * stall timeout (a target or source that stops talking, a parent that stops sending, a child
 * that stops accepting). A clock that is stopped is never silent. Each one lives on one event
 * loop and is not shared.
 */
public final class Silence {

  /**
   * Timeout of node-local requests that may legitimately take hours (scanning, preparing or
   * sending a huge tree); liveness is watched by heartbeats and silences instead.
   */
  public static final long LONG_WAIT_MS = 30L * 24 * 3600 * 1000;

  private long sinceNanos = System.nanoTime();
  private boolean running;
  private long lastCount = -1;

  private Silence(boolean running) {
    this.running = running;
  }

  /** A clock that runs from now: for a peer that must keep talking from the start. */
  public static Silence fromNow() {
    return new Silence(true);
  }

  /** A clock that runs only once {@link #startIfStopped} is called: for a queue that may fill. */
  public static Silence stopped() {
    return new Silence(false);
  }

  /** A sign of life: the clock starts again from now. */
  public void heard() {
    sinceNanos = System.nanoTime();
    running = true;
  }

  /** A sign of life only if the count moved since the last call: for streams measured in bytes. */
  public void count(long count) {
    if (count != lastCount) {
      lastCount = count;
      heard();
    }
  }

  public void startIfStopped() {
    if (!running) {
      heard();
    }
  }

  public void stop() {
    running = false;
  }

  public boolean longerThan(long limitMs) {
    return running && (System.nanoTime() - sinceNanos) / 1_000_000 > limitMs;
  }
}
