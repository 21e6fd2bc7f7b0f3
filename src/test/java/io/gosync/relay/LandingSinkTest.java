package io.gosync.relay;

import io.gosync.protocol.NeedList;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.Manifest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The landing sink parses a body however the network splits it, and ends only after its end frame. */
@ExtendWith(VertxExtension.class)
class LandingSinkTest {

  @TempDir
  Path dst;

  private static Entry file(String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return Entry.file(path, bytes.length, 1_000_000_000_000_000L, 0644,
        HexFormat.of().formatHex(FileFacts.sha256().digest(bytes)));
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @ValueSource(ints = {1, 3, 9, 46, 47, 1000})
  void landsEveryFileWhateverTheSplitsAndEndsCleanly(int piece, Vertx vertx) throws Exception {
    Manifest manifest = Manifest.of(List.of(Entry.dir("", 1L, 0755),
        file("a.txt", "first file\n"), file("b.txt", "second\n"), file("c.txt", "")));
    BitSet need = new BitSet();
    need.set(1, 4);
    Buffer body = Buffer.buffer();
    for (int i = 1; i < 4; i++) {
      body.appendBuffer(Frames.file(i, manifest.entry(i), false));
      body.appendString(i == 1 ? "first file\n" : i == 2 ? "second\n" : "");
    }
    body.appendBuffer(Frames.end(3));

    // On a Vert.x context, as in the relay verticle; written faster than anything can land.
    Promise<LandingSink.Summary> landed = Promise.promise();
    vertx.runOnContext(v -> {
      LandingSink sink = new LandingSink(vertx, new ReceivePlan("t1", "src", dst, manifest, NeedList.of(need)));
      for (int at = 0; at < body.length(); at += piece) {
        sink.write(body.slice(at, Math.min(body.length(), at + piece)));
      }
      sink.end();
      sink.result().onComplete(landed);
    });
    LandingSink.Summary summary = landed.future().await(20, TimeUnit.SECONDS);

    assertEquals(3, summary.files());
    assertEquals("first file\n", Files.readString(dst.resolve("a.txt")));
    assertEquals("second\n", Files.readString(dst.resolve("b.txt")));
    assertEquals("", Files.readString(dst.resolve("c.txt")));
  }
}
