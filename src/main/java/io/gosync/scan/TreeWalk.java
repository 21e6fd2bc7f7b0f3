package io.gosync.scan;

import io.gosync.fs.Dir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Walks a tree's directories on a bounded pool of threads, one task per directory: a task opens its directory
 * from its parent's handle (by handle, one name, never through a link), does the directory's work, walks its
 * subdirectories as tasks of their own and closes its handle once they are done. So a directory is open only
 * while its own task or one below it runs, never while its task merely waits in the queue.
 * The first failure stops the walk (tasks not yet started are skipped) and is thrown as it was raised. What the
 * steps collect must be thread-safe; whoever needs an order sorts afterwards, so no result depends on timing.
 */
final class TreeWalk {

  /** What to do in one directory of the walk; called from several threads at once, for different directories. */
  interface Step<C> {

    /**
     * Opens subdirectory {@code name} of {@code parent}, with what its visit needs to know; null to leave it
     * (and what is below it) alone.
     */
    Opened<C> open(Dir parent, String name, C context) throws IOException;

    /** Does the work of one opened directory; returns the subdirectories to walk next. */
    List<Sub<C>> visit(Dir dir, C context) throws IOException;
  }

  /** A subdirectory to walk: its name in the directory just visited, and what its step needs to know. */
  record Sub<C>(String name, C context) {
  }

  /** A directory the walk opened, and what its visit needs to know. */
  record Opened<C>(Dir dir, C context) {
  }

  private final ForkJoinPool pool;

  TreeWalk(ForkJoinPool pool) {
    this.pool = pool;
  }

  /** Walks from {@code root} (which stays the caller's: it is not closed), visiting it first. */
  <C> void run(Dir root, C context, Step<C> step) throws IOException {
    AtomicReference<Exception> failure = new AtomicReference<>();
    pool.invoke(new Task<>(step, failure, null, new Opened<>(root, context), null));
    Exception first = failure.get();
    if (first instanceof IOException io) {
      throw io;
    }
    if (first != null) {
      throw (RuntimeException) first;
    }
  }

  private static final class Task<C> extends RecursiveAction {

    private final Step<C> step;
    private final AtomicReference<Exception> failure;
    private final Dir parent;
    private final Opened<C> root;
    private final Sub<C> sub;

    /** {@code root}: the walk's root, already open; else {@code sub} is opened from {@code parent}. */
    Task(Step<C> step, AtomicReference<Exception> failure, Dir parent, Opened<C> root, Sub<C> sub) {
      this.step = step;
      this.failure = failure;
      this.parent = parent;
      this.root = root;
      this.sub = sub;
    }

    @Override
    protected void compute() {
      if (failure.get() != null) {
        return;
      }
      Opened<C> opened = null;
      try {
        opened = root != null ? root : step.open(parent, sub.name(), sub.context());
        if (opened != null) {
          List<Task<C>> below = new ArrayList<>();
          for (Sub<C> next : step.visit(opened.dir(), opened.context())) {
            below.add(new Task<>(step, failure, opened.dir(), null, next));
          }
          invokeAll(below);
        }
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      } finally {
        if (opened != null && root == null) {
          opened.dir().close();
        }
      }
    }
  }
}
