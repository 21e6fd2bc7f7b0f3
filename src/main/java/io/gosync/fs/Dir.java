package io.gosync.fs;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gosync.fs.Libc.call;
import static io.gosync.fs.Libc.z;

/**
 * An open directory, and every change gosync makes inside it, by handle: each call names one
 * entry of this directory, and a link is never followed (a symlink where a directory is expected
 * is refused, not entered). A directory renamed or swapped for a link while it is open cannot
 * lead a call anywhere else, which closes the check-then-use-by-path races (rsync's
 * CVE-2024-12747). Names are {@link Names} strings: one component, the file system's bytes.
 */
public final class Dir extends Descriptor {

  private static final int AT_FDCWD = -100;
  private static final int DIR_FLAGS = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
  /** One getdents64 call reads this much: ~700 entries of 20-character names. */
  private static final int LIST_BUFFER = 32 << 10;

  private Dir(int fd) {
    super(fd);
  }

  /**
   * Opens an absolute path one component at a time from "/", following no link on the way: the
   * path should be real (no symlinks), and a link that appears in it is refused. With
   * {@code create}, missing directories are made (mode 0755).
   */
  public static Dir open(Path absolute, boolean create) throws IOException {
    List<String> names = new ArrayList<>();
    absolute.normalize().forEach(part -> names.add(part.toString()));
    byte[] slash = {'/'};
    return new Dir(call("open", slash, () -> Libc.openat(AT_FDCWD, z(slash), DIR_FLAGS, 0))).walk(names, create);
  }

  /** The directory at a relative '/'-separated path below this one ("" is a new handle to this one), step by step. */
  public Dir descend(String relative) throws IOException {
    byte[] dot = {'.'};
    Dir self = new Dir(call("openat", dot, () -> Libc.openat(fd, z(dot), DIR_FLAGS, 0)));
    return self.walk(relative.isEmpty() ? List.of() : List.of(relative.split("/", -1)), false);
  }

  /** Walks down from this handle, which it takes over (closing it); with {@code create}, makes what is missing. */
  private Dir walk(List<String> names, boolean create) throws IOException {
    Dir dir = this;
    try {
      for (String name : names) {
        Dir next = create ? dir.dirCreating(name, 0755) : dir.dir(name);
        dir.close();
        dir = next;
      }
      return dir;
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** The directory entry {@code name}, which must be a real directory (not a link to one). */
  public Dir dir(String name) throws IOException {
    byte[] bytes = component(name);
    try {
      return new Dir(Libc.openat(fd, z(bytes), DIR_FLAGS, 0));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Libc.ELOOP || e.getErrorCode() == Libc.ENOTDIR) {
        throw new FileSystemException(Names.display(name), null, "not a real directory (a symlink or a file)");
      }
      throw Libc.failure("openat", bytes, e);
    }
  }

  private Dir dirCreating(String name, int mode) throws IOException {
    try {
      mkdir(name, mode);
    } catch (FileAlreadyExistsException e) {
      // made meanwhile, or there already: dir() says whether it is a real directory
    }
    return dir(name);
  }

  /** @return the entry's attributes, or null when there is no such entry */
  public Stat stat(String name) throws IOException {
    byte[] bytes = component(name);
    byte[] buffer = new byte[Stat.STATX_BYTES];
    try {
      Libc.statx(fd, z(bytes), Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buffer);
      return Stat.of(buffer);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Libc.ENOENT) {
        return null;
      }
      throw Libc.failure("statx", bytes, e);
    }
  }

  /** The names in this directory, without "." and "..", in the order the file system gives. */
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    byte[] buffer = new byte[LIST_BUFFER];
    call("lseek", new byte[0], () -> (int) Libc.lseek(fd, 0, 0));
    for (long n; (n = read(buffer)) > 0; ) {
      ByteBuffer records = ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder());
      for (int at = 0; at < n; at += Short.toUnsignedInt(records.getShort(at + 16))) {
        String name = nameAt(buffer, at + 19);
        if (!name.equals(".") && !name.equals("..")) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private long read(byte[] buffer) throws IOException {
    try {
      return Libc.getdents64(fd, buffer, buffer.length);
    } catch (LastErrorException e) {
      throw Libc.failure("getdents64", new byte[0], e);
    }
  }

  private static String nameAt(byte[] buffer, int start) {
    int end = start;
    while (buffer[end] != 0) {
      end++;
    }
    byte[] name = new byte[end - start];
    System.arraycopy(buffer, start, name, 0, name.length);
    return Names.decode(name);
  }

  public void mkdir(String name, int mode) throws IOException {
    byte[] bytes = component(name);
    call("mkdirat", bytes, () -> Libc.mkdirat(fd, z(bytes), mode));
  }

  public void symlink(String name, String target) throws IOException {
    byte[] bytes = component(name);
    call("symlinkat", bytes, () -> Libc.symlinkat(z(Names.encode(target)), fd, z(bytes)));
  }

  /** The link's text, as bytes in a {@link Names} string. */
  public String readlink(String name) throws IOException {
    byte[] bytes = component(name);
    for (int size = 256; ; size *= 4) {
      byte[] buffer = new byte[size];
      long n;
      try {
        n = Libc.readlinkat(fd, z(bytes), buffer, size);
      } catch (LastErrorException e) {
        throw Libc.failure("readlinkat", bytes, e);
      }
      if (n < size) {
        byte[] text = new byte[(int) n];
        System.arraycopy(buffer, 0, text, 0, text.length);
        return Names.decode(text);
      }
    }
  }

  /** Removes a file or a link (never what a link points to). */
  public void unlink(String name) throws IOException {
    byte[] bytes = component(name);
    call("unlinkat", bytes, () -> Libc.unlinkat(fd, z(bytes), 0));
  }

  /** Removes a file, a link, or a directory with everything in it. @return entries removed */
  public int deleteTree(String name) throws IOException {
    Stat stat = stat(name);
    if (stat == null) {
      return 0;
    }
    if (!stat.isDirectory()) {
      unlink(name);
      return 1;
    }
    int deleted = 0;
    try (Dir child = dir(name)) {
      for (String entry : child.list()) {
        deleted += child.deleteTree(entry);
      }
    }
    byte[] bytes = component(name);
    call("unlinkat", bytes, () -> Libc.unlinkat(fd, z(bytes), Libc.AT_REMOVEDIR));
    return deleted + 1;
  }

  /** Renames {@code from} in this directory to {@code to} in {@code into}, replacing what is there. */
  public void rename(String from, Dir into, String to) throws IOException {
    byte[] fromBytes = component(from);
    byte[] toBytes = component(to);
    call("renameat", toBytes, () -> Libc.renameat(fd, z(fromBytes), into.fd, z(toBytes)));
  }

  /** Creates a new file (never through an existing name or link) for writing. */
  public OpenFile create(String name, int mode) throws IOException {
    byte[] bytes = component(name);
    int flags = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
    return new OpenFile(call("openat", bytes, () -> Libc.openat(fd, z(bytes), flags, mode)));
  }

  /** Opens an existing regular file for writing; never follows a link, never blocks on a FIFO: either is refused. */
  public OpenFile openForWriting(String name) throws IOException {
    byte[] bytes = component(name);
    int flags = Libc.O_WRONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC;
    return regular(name, new OpenFile(call("openat", bytes, () -> Libc.openat(fd, z(bytes), flags, 0))));
  }

  /**
   * Opens a regular file for reading, or its metadata. Never blocks on a FIFO swapped in for it and
   * never follows a link: either is refused.
   */
  public OpenFile open(String name) throws IOException {
    byte[] bytes = component(name);
    int flags = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC;
    return regular(name, new OpenFile(call("openat", bytes, () -> Libc.openat(fd, z(bytes), flags, 0))));
  }

  private static OpenFile regular(String name, OpenFile file) throws IOException {
    try {
      if (!file.stat().isFile()) {
        throw new FileSystemException(Names.display(name), null, "not a regular file");
      }
      return file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Sets the mtime of an entry (a link's own, not its target's); atime is left alone. */
  public void setTime(String name, Timestamp mtime) throws IOException {
    byte[] bytes = component(name);
    call("utimensat", bytes, () -> Libc.utimensat(fd, z(bytes), times(mtime), Libc.AT_SYMLINK_NOFOLLOW));
  }

  /** One path component: not empty, no '/', not "." or "..", no NUL. */
  private static byte[] component(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a single name: '" + Names.display(name) + "'");
    }
    return Names.encode(name);
  }

}
