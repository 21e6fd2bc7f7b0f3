package io.gosync.fs;

import java.io.IOException;

/** An open file or directory: what can be read and set through the handle itself. */
public interface Handle {

  Stat stat() throws IOException;

  void setMode(int mode) throws IOException;

  void setTime(Timestamp mtime) throws IOException;

  /** fsync: the file's data, or the directory's entries, and the metadata, on stable storage. */
  void sync() throws IOException;
}
