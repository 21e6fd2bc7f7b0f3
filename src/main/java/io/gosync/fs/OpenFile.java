package io.gosync.fs;

import java.nio.file.Path;

/**
 * A file opened by handle (see {@link Dir#create}, {@link Dir#open}). Its bytes are read and
 * written through {@link #path}, the process's own /proc/self/fd/N: opening that reaches this
 * very file, whatever has happened to its name since, so Java's channels and Vert.x's AsyncFile
 * work on it unchanged. Metadata and fsync go through the descriptor.
 */
public final class OpenFile extends Descriptor {

  OpenFile(int fd) {
    super(fd);
  }

  /** A path that opens this file (needs /proc, as on every Linux host gosync runs on). */
  public Path path() {
    return Path.of("/proc/self/fd/" + fd);
  }
}
