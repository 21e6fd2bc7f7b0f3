package io.gosync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/** The demo's sample tree: the seed page's example, plus nested directories of seeded random files. */
final class SampleTree {

  private SampleTree() {
  }

  static void write(Path root, long seed) throws IOException {
    Random random = new Random(seed);
    Files.createDirectories(root.resolve("d1"));
    Files.createDirectories(root.resolve("d2"));
    for (String name : new String[] {"d1/f1.txt", "d1/f2.txt", "d1/f3.txt", "f3.txt", "f4.txt", "f5.txt"}) {
      Files.writeString(root.resolve(name), "content of " + name + "\n");
    }
    Files.createSymbolicLink(root.resolve("d1/f1s"), Path.of("f1.txt"));
    Files.createSymbolicLink(root.resolve("d1/f3s"), Path.of("f3.txt"));
    Files.createSymbolicLink(root.resolve("f3s"), Path.of("f3.txt"));
    Files.createSymbolicLink(root.resolve("f5s"), Path.of("f5.txt"));
    for (int dir = 0; dir < 5; dir++) {
      Path nested = Files.createDirectories(root.resolve("data/set" + dir + "/part" + dir % 2));
      for (int file = 0; file < 40; file++) {
        byte[] bytes = new byte[4096 + random.nextInt(60 * 1024)];
        random.nextBytes(bytes);
        Files.write(nested.resolve("blob" + file + ".bin"), bytes);
      }
    }
    byte[] big = new byte[8 << 20];
    random.nextBytes(big);
    Files.write(root.resolve("data/big.bin"), big);
    Path script = Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho hello from gosync\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
  }
}
