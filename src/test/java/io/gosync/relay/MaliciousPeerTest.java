package io.gosync.relay;

import java.nio.file.attribute.PosixFilePermissions;
import io.gosync.fs.Timestamp;
import io.gosync.protocol.Constants;
import io.gosync.protocol.ExpectedParents;
import io.gosync.relay.wire.Frames;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.gosync.testkit.TlsSockets;
import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.Checksum;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;
import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertOnlyPartialOf;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Peers that do not follow the protocol: a fake source on the event bus that sends a target
 * crafted prepare requests and manifests, and raw TLS clients on a target's data port, holding a
 * certificate of the cluster (a certified node gone bad). The target must refuse each with a clear
 * error and write nothing, inside or outside its destination.
 */
class MaliciousPeerTest {

  private static final String TARGET = "node5";
  private static final String FAKE_SOURCE = "fake-source";
  private static final long MTIME = 1_500_000_000_000_000_000L;
  /**
   * What the fake source announces in every prepare: at least what any manifest here holds, for a target
   * reserves its budget by the announced count and refuses a manifest with more entries.
   */
  private static final int ANNOUNCED_ENTRIES = 100;

  private final TestCluster cluster = TestCluster.shared();
  private final String taskId = "evil-" + UUID.randomUUID();
  private final String base = "/data/malicious-" + UUID.randomUUID();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Promise<JsonObject> result = Promise.promise();
  private TreeSnapshot targetBefore;
  private NodeIdentity fakeSource;

  @BeforeEach
  void listenAsTheSource() throws IOException {
    // The target reports its result to the task's control address, as it would to a real source.
    MessageConsumer<JsonObject> control = bus().consumer(taskAddress(taskId, Constants.CONTROL), message -> {
      if (List.of("result", "cutOff").contains(message.body().getString("type"))) {
        result.tryComplete(message.body());
      }
    });
    consumers.add(control);
    await(control.completion(), 30);
    targetBefore = TreeSnapshot.of(cluster.root(TARGET));
  }

  @AfterEach
  void cleanUp() {
    bus().send(nodeAddress(TARGET, Constants.ABORT), new JsonObject().put("taskId", taskId));
    consumers.forEach(MessageConsumer::unregister);
  }

  // ---- (a) a fake source's prepare requests ----

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "../../../../escape", "/tmp/escape", "a//b", "."})
  void aManifestPathThatCouldEscapeIsRefused(String path) {
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755), Entry.dir("a", Timestamp.ofEpochNanos(MTIME), 0755),
        Entry.file(path, 3, Timestamp.ofEpochNanos(MTIME), 0644, sha256("bad".getBytes()))));

    ReplyException refused = refused(prepare(base + "/dst", encode(manifest)));

    assertEquals(400, refused.failureCode(), refused.getMessage());
    assertTrue(refused.getMessage().contains("path"), refused.getMessage());
    assertTargetUnchanged();
  }

  @Test
  void aManifestDirectoryOrLinkThatCouldEscapeIsRefused() {
    for (Entry bad : List.of(Entry.dir("../escape", Timestamp.ofEpochNanos(MTIME), 0755), Entry.link("../escape", "/etc/passwd", Timestamp.ofEpochNanos(0)))) {
      ReplyException refused = refused(prepareAs(newTaskId(), base + "/dst",
          encode(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755), bad)))));
      assertEquals(400, refused.failureCode(), refused.getMessage());
    }
    assertTargetUnchanged();
  }

  @Test
  void aManifestWhoseDigestDoesNotMatchIsRefused() {
    byte[] manifest = encode(okManifest(content(10)));

    ReplyException refused = refused(prepare(base + "/dst", manifest, ManifestCodec.digest(new byte[] {1}), 1,
        new JsonObject()));

    assertEquals(400, refused.failureCode(), refused.getMessage());
    assertTrue(refused.getMessage().contains("digest"), refused.getMessage());
    assertTargetUnchanged();
  }

  @Test
  void aGarbageManifestIsRefused() {
    byte[] garbage = new byte[1000];
    new Random(3).nextBytes(garbage);

    ReplyException refused = refused(prepare(base + "/dst", garbage));

    assertEquals(400, refused.failureCode(), refused.getMessage());
    assertTrue(refused.getMessage().startsWith("manifest:"), refused.getMessage());
    assertTargetUnchanged();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 100_001, Integer.MAX_VALUE})
  void aBadChunkCountIsRefused(int chunks) {
    byte[] manifest = encode(okManifest(content(10)));

    ReplyException refused = refused(prepare(base + "/dst", manifest, ManifestCodec.digest(manifest), chunks,
        new JsonObject()));

    assertEquals(400, refused.failureCode(), refused.getMessage());
    assertTrue(refused.getMessage().contains("chunk"), refused.getMessage());
    assertTargetUnchanged();
  }

  @Test
  void aMalformedPrepareRequestIsRefused() {
    byte[] manifest = encode(okManifest(content(10)));
    List<JsonObject> bad = List.of(
        new JsonObject().put("taskId", "../x"),
        new JsonObject().put("taskId", "x".repeat(65)),
        new JsonObject().putNull("dst"),
        new JsonObject().putNull("delete"),
        new JsonObject().put("overwrite", "yes"),
        new JsonObject().put("dst", 5),
        new JsonObject().put("manifest", new JsonObject().put("chunks", 1)),
        new JsonObject().put("manifest", "abc"));
    for (JsonObject overrides : bad) {
      ReplyException refused = refused(prepare(base + "/dst", manifest, ManifestCodec.digest(manifest), 1, overrides));
      assertEquals(400, refused.failureCode(), overrides.encode() + ": " + refused.getMessage());
    }
    assertTargetUnchanged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/opt/evil", "/", "/data/../../../evil", "/../evil", "relative/dst", "/data/a\u0000b"})
  void aDestinationOutsideTheAllowedDirectoriesIsRefused(String dst) {
    byte[] manifest = encode(okManifest(content(10)));

    ReplyException refused = refused(prepare(dst, manifest));

    assertEquals(400, refused.failureCode(), refused.getMessage());
    assertTargetUnchanged();
    assertFalse(Files.exists(cluster.root(TARGET).getParent().resolve("evil")));
    assertFalse(Files.exists(cluster.root(TARGET).getParent().getParent().resolve("evil")));
    assertTrue(refused.getMessage().startsWith("dst:"), refused.getMessage());
  }

  /**
   * A real source never lists entries below a symlink. A manifest that does, with a link to a
   * directory outside the destination, must not get the target to create anything out there.
   */
  @Test
  void aManifestCannotCreateADirectoryThroughItsOwnSymlink() throws IOException {
    Path outside = outside();
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755), Entry.link("l", outside.toString(), Timestamp.ofEpochNanos(0)),
        Entry.dir("l/planted", Timestamp.ofEpochNanos(MTIME), 0777)));

    Future<Throwable> prepared = failure(prepare(base + "/dst", encode(manifest)));
    Throwable refused = await(prepared, 30);

    assertEquals(List.of(), outsideBefore.differences(TreeSnapshot.of(outside)), "written outside the destination");
    assertInstanceOf(ReplyException.class, refused, "the manifest was accepted");
    assertEquals(400, ((ReplyException) refused).failureCode(), refused.getMessage());
  }

  /** ... nor delete anything out there, when the entry below the link names an existing directory. */
  @Test
  void aManifestCannotDeleteThroughItsOwnSymlink() throws IOException {
    Path outside = outside();
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);
    Manifest manifest = Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755), Entry.link("l", outside.toString(), Timestamp.ofEpochNanos(0)),
        Entry.file("l/victim", 3, Timestamp.ofEpochNanos(MTIME), 0644, sha256("new".getBytes()))));

    Future<Throwable> prepared = failure(prepare(base + "/dst", encode(manifest)));
    Throwable refused = await(prepared, 30);

    assertEquals(List.of(), outsideBefore.differences(TreeSnapshot.of(outside)), "changed outside the destination");
    assertInstanceOf(ReplyException.class, refused, "the manifest was accepted");
    assertEquals(400, ((ReplyException) refused).failureCode(), refused.getMessage());
  }

  // ---- (b) raw connections to a data port ----

  @Test
  void garbageOnTheDataPortIsDropped() throws IOException {
    assertDropped("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] random = new byte[4096];
    new Random(5).nextBytes(random);
    random[0] = 0; // cannot be the magic
    assertDropped(random);
    assertTargetUnchanged();
  }

  /** Fewer bytes than a header's first eight, but already not the magic: there is nothing to wait for. */
  @Test
  void aFewGarbageBytesAreDropped() throws IOException {
    assertDropped("hi\n".getBytes(StandardCharsets.US_ASCII), cluster.config(TARGET).stallTimeoutMs() + 2_000);
    assertTargetUnchanged();
  }

  /** A peer that starts a header and stalls must not hold the connection (and its buffer) forever. */
  @Test
  void aStalledHeaderIsDropped() throws IOException {
    byte[] header = header(taskId, TARGET).getBytes();
    assertDropped(Arrays.copyOf(header, header.length / 2), cluster.config(TARGET).stallTimeoutMs() + 2_000);
    assertTargetUnchanged();
  }

  @Test
  void aWrongMagicIsDropped() throws IOException {
    Buffer header = header(taskId, TARGET);
    header.setInt(0, StreamHeader.MAGIC + 1);
    assertDropped(header.getBytes());
    assertTargetUnchanged();
  }

  @ParameterizedTest
  @ValueSource(ints = {StreamHeader.MAX_BYTES + 1, Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE})
  void aHeaderLengthOutOfRangeIsDropped(int length) throws IOException {
    assertDropped(Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(length).getBytes());
    assertTargetUnchanged();
  }

  @Test
  void aHeaderThatIsNotAStreamHeaderIsDropped() throws IOException {
    for (String json : List.of("not json at all", "[1,2,3]", "{\"taskId\":\"x\"}",
        new JsonObject().put("taskId", taskId).put("group", "one").encode())) {
      byte[] text = json.getBytes(StandardCharsets.UTF_8);
      assertDropped(Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(text.length).appendBytes(text).getBytes());
    }
    assertTargetUnchanged();
  }

  @Test
  void aValidHeaderForATaskThisNodeWasNotPreparedForIsDropped() throws IOException {
    byte[] data = content(100);
    Entry entry = Entry.file("f.bin", data.length, Timestamp.ofEpochNanos(MTIME), 0644, sha256(data));
    Buffer stream = header(taskId, TARGET).appendBuffer(Frames.file(1, entry, 0, false)).appendBytes(data)
        .appendBuffer(check(1, data)).appendBuffer(Frames.end(1));
    assertDropped(stream.getBytes());
    assertTargetUnchanged();
  }

  @Test
  void theDataPortStillServesAfterAbuse() throws IOException {
    assertDropped("garbage".repeat(10).getBytes(StandardCharsets.US_ASCII));
    assertDropped(header(taskId, TARGET).getBytes());
    // half a header, then the peer goes away
    try (Socket socket = connect()) {
      socket.getOutputStream().write(Arrays.copyOf(header(taskId, TARGET).getBytes(), 20));
    }
    Path src = file(cluster.path("node0", base), "src/f.txt", "after the abuse\n").getParent();

    JsonObject task = cluster.sync("node0", new JsonObject().put("src", base + "/src").put("dst", base + "/dst")
        .put("targets", new JsonArray().add(TARGET)));

    assertEquals("ok", TestCluster.result(task, TARGET).getString("status"), task.encodePrettily());
    assertSameTree(src, cluster.path(TARGET, base + "/dst"));
  }

  // ---- (c) a prepared task, then a stream that does not keep its promises ----

  @Test
  void aCorrectStreamFromTheFakeSourceLands() throws IOException {
    byte[] data = content(5000);
    Path dst = preparedDestination(data);

    try (Socket socket = connect()) {
      socket.getOutputStream().write(stream(data, 1, data).getBytes());
      JsonObject report = await(result.future(), 30);
      assertEquals("ok", report.getString("status"), report.encode());
    }
    assertEquals(List.of("f.bin"), list(dst));
    assertEquals(Arrays.toString(data), Arrays.toString(Files.readAllBytes(dst.resolve("f.bin"))));
    assertEquals(MTIME, Files.getLastModifiedTime(dst.resolve("f.bin")).to(TimeUnit.NANOSECONDS));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("f.bin"))));
  }

  /**
   * A node of another cluster, its certificate from its own CA (it trusts ours, so the refusal is the target's),
   * sends the very stream the prepared target waits for. The handshake fails before the data port reads a byte
   * of it: no report, the plan is still there, and the same stream from a node of the cluster then lands.
   */
  @Test
  void aStreamFromANodeOfAnotherClusterIsRefusedBeforeItsFirstByte(@TempDir Path tmp) throws IOException {
    byte[] data = content(5000);
    Path dst = preparedDestination(data);
    NodeIdentity impostor = NodeIdentity.load(ClusterAuthority.init(tmp.resolve("other-ca"))
        .issue(FAKE_SOURCE, List.of("127.0.0.1"), false));

    int answer;
    try (Socket socket = connect(impostor)) {
      socket.getOutputStream().write(stream(data, 1, data).getBytes());
      socket.getOutputStream().flush();
      answer = socket.getInputStream().read();
    } catch (IOException refused) {
      answer = -1; // the handshake's alert, or the connection closed under it
    }

    assertEquals(-1, answer, "the data port answered a node of another cluster");
    assertNoReportWithin(1_000);
    assertEquals(List.of(), list(dst), "the impostor's stream landed");
    JsonObject report = send(stream(data, 1, data));
    assertEquals("ok", report.getString("status"), report.encode());
    assertEquals(List.of("f.bin"), list(dst));
  }

  /**
   * A node of the cluster that is not the parent the target was told of sends the stream the target waits
   * for, once naming itself as the parent and once naming the real one: both are refused at the header,
   * before a byte lands, and the real parent's stream then lands.
   */
  @Test
  void aStreamFromACertifiedNodeThatIsNotThePlannedParentIsRefusedBeforeAByteLands() throws IOException {
    byte[] data = content(5000);
    Path dst = preparedDestination(data);
    NodeIdentity intruder = cluster.identity("intruder");

    for (String parent : List.of("intruder", FAKE_SOURCE)) {
      TreeNode self = new TreeNode(TARGET, "127.0.0.1", cluster.config(TARGET).dataPort(), List.of());
      Entry entry = Entry.file("f.bin", data.length, Timestamp.ofEpochNanos(MTIME), 0640, sha256(data));
      Buffer stream = new StreamHeader(taskId, parent, self, 0).encode().appendBuffer(Frames.file(1, entry, 0, false))
          .appendBytes(data).appendBuffer(check(1, data)).appendBuffer(Frames.end(1));
      assertDroppedFrom(intruder, stream.getBytes());
    }

    assertNoReportWithin(1_000);
    assertEquals(List.of(), list(dst), "the intruder's stream landed");
    assertNoTemporaryFiles(dst);
    assertTargetUnchanged();
    JsonObject report = send(stream(data, 1, data));
    assertEquals("ok", report.getString("status"), report.encode());
    assertEquals(List.of("f.bin"), list(dst));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {5000, 1_500_000})
  void fileBytesThatDoNotMatchTheirCheckLandNothing(int size) throws IOException {
    byte[] data = content(size);
    byte[] forged = data.clone();
    forged[size / 2] ^= 1;
    Path dst = preparedDestination(data);

    JsonObject report = send(stream(data, 1, forged));

    assertFailedReport(report, "checksum mismatch");
    assertNothingLanded(dst);
  }

  /** Nothing under a real name; what came of the file is kept under its partial name for a later task. */
  @Test
  void aStreamCutOffInTheMiddleOfAFileLandsNothingAndKeepsItsStart() throws IOException {
    byte[] data = content(1_500_000);
    Path dst = preparedDestination(data);
    Buffer whole = stream(data, 1, data);

    try (Socket socket = connect()) {
      socket.getOutputStream().write(whole.getBytes(), 0, whole.length() - 700_000);
      socket.getOutputStream().flush();
    }
    JsonObject report = await(result.future(), 30);

    // Cut off, not failed: nothing is wrong with the target, and the source may feed it again.
    assertEquals("cutOff", report.getString("type"), report.encode());
    assertTrue(report.getString("message").contains("ended before"), report.encode());
    List<String> left = list(dst);
    assertEquals(1, left.size(), left::toString);
    assertTrue(left.get(0).startsWith(".gosync-p-"), left::toString);
    assertTrue(assertOnlyPartialOf(dst, dst.resolve(left.get(0)), data) > 0);
    Files.delete(dst.resolve(left.get(0)));
    assertTargetUnchanged(); // and nothing else changed
  }

  /**
   * The planned parent takes its own stream over on a second connection, as an ancestor does after the relay
   * between them died: the target answers with the body bytes it has, drops the first connection, and lands
   * the file whole from the rest sent on the second, the file in progress going on from its byte offset.
   */
  @Test
  void aRelinkGoesOnFromTheByteTheTargetNames() throws Exception {
    byte[] data = content(1_500_000);
    Path dst = preparedDestination(data);
    Buffer whole = stream(data, 1, data);
    int bodyStart = header(taskId, TARGET).length();
    int cut = bodyStart + 700_000;

    try (Socket first = connect(); Socket second = connect()) {
      first.getOutputStream().write(whole.getBytes(), 0, cut);
      first.getOutputStream().flush();
      Thread.sleep(1_000); // the target has taken in what came
      second.getOutputStream().write(relinkHeader(FAKE_SOURCE).getBytes());
      long offset = new DataInputStream(second.getInputStream()).readLong();
      assertEquals(cut - bodyStart, offset, "the body bytes the target had");
      second.getOutputStream().write(whole.getBytes(), bodyStart + (int) offset, whole.length() - bodyStart - (int) offset);
      JsonObject report = await(result.future(), 30);

      assertEquals("ok", report.getString("status"), report.encode());
      assertEquals(StreamHeader.TAKEN_OVER, readOrEnd(first), "the replaced parent was not told it was replaced");
      assertEquals(-1, readOrEnd(first), "the replaced parent's connection stayed open");
    }
    assertEquals(List.of("f.bin"), list(dst));
    assertTrue(Arrays.equals(data, Files.readAllBytes(dst.resolve("f.bin"))), "the file is not the source's");
    assertNoTemporaryFiles(dst);
  }

  /** A certified node that is not among the target's parents cannot take its stream over: the stream goes on. */
  @Test
  void aRelinkFromANodeNotAmongTheParentsIsRefusedAndTheStreamGoesOn() throws Exception {
    byte[] data = content(1_500_000);
    Path dst = preparedDestination(data);
    Buffer whole = stream(data, 1, data);
    int cut = header(taskId, TARGET).length() + 700_000;

    try (Socket parent = connect()) {
      parent.getOutputStream().write(whole.getBytes(), 0, cut);
      parent.getOutputStream().flush();
      Thread.sleep(1_000);
      assertDroppedFrom(cluster.identity("intruder"), relinkHeader("intruder").getBytes());
      parent.getOutputStream().write(whole.getBytes(), cut, whole.length() - cut);
      JsonObject report = await(result.future(), 30);

      assertEquals("ok", report.getString("status"), report.encode());
    }
    assertTrue(Arrays.equals(data, Files.readAllBytes(dst.resolve("f.bin"))), "the file is not the source's");
  }

  private Buffer relinkHeader(String parent) {
    TreeNode self = new TreeNode(TARGET, "127.0.0.1", cluster.config(TARGET).dataPort(), List.of());
    return new StreamHeader(taskId, parent, self, 0, true).encode();
  }

  /** The next byte, or -1 once the peer closed (a reset counts as closed). */
  private static int readOrEnd(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }

  @Test
  void aFileThatWasNotAskedForLandsNothing() throws IOException {
    byte[] data = content(100);
    Path dst = preparedDestination(data);
    Entry root = Entry.file("", data.length, Timestamp.ofEpochNanos(MTIME), 0644, sha256(data));
    Buffer stream = header(taskId, TARGET).appendBuffer(Frames.file(0, root, 0, false)).appendBytes(data)
        .appendBuffer(check(0, data)).appendBuffer(Frames.end(1));

    JsonObject report = send(stream);

    assertFailedReport(report, "not asked for");
    assertNothingLanded(dst);
  }

  @Test
  void aFileWhoseSizeDoesNotMatchTheManifestLandsNothing() throws IOException {
    byte[] data = content(100);
    Path dst = preparedDestination(data);
    byte[] longer = Arrays.copyOf(data, 150);
    Entry claimed = Entry.file("f.bin", longer.length, Timestamp.ofEpochNanos(MTIME), 0640, sha256(data));
    Buffer stream = header(taskId, TARGET).appendBuffer(Frames.file(1, claimed, 0, false)).appendBytes(longer)
        .appendBuffer(check(1, longer)).appendBuffer(Frames.end(1));

    JsonObject report = send(stream);

    assertFailedReport(report, "does not match the manifest");
    assertNothingLanded(dst);
  }

  @Test
  void anUnknownFrameLandsNothing() throws IOException {
    byte[] data = content(100);
    Path dst = preparedDestination(data);

    JsonObject report = send(header(taskId, TARGET).appendString("X garbage after the header"));

    assertFailedReport(report, "unknown frame");
    assertNothingLanded(dst);
  }

  @Test
  void anEndFrameBeforeTheFilesLandsNothing() throws IOException {
    byte[] data = content(100);
    Path dst = preparedDestination(data);

    JsonObject report = send(header(taskId, TARGET).appendBuffer(Frames.end(0)));

    assertFailedReport(report, "0 of 1 files");
    assertNothingLanded(dst);
  }

  // ---- the fake source ----

  private EventBus bus() {
    return cluster.node("node0").vertx().eventBus();
  }

  private static String newTaskId() {
    return "evil-" + UUID.randomUUID();
  }

  private Future<JsonObject> prepare(String dst, byte[] manifest) {
    return prepareAs(taskId, dst, manifest);
  }

  private Future<JsonObject> prepareAs(String id, String dst, byte[] manifest) {
    return prepare(id, dst, manifest, ManifestCodec.digest(manifest), manifest.length > 100 ? 3 : 1, new JsonObject());
  }

  private Future<JsonObject> prepare(String dst, byte[] manifest, String digest, int chunks, JsonObject overrides) {
    return prepare(taskId, dst, manifest, digest, chunks, overrides);
  }

  /** Serves {@code manifest} in {@code chunks} pieces as the task's source would, and asks the target to prepare. */
  private Future<JsonObject> prepare(String id, String dst, byte[] manifest, String digest, int chunks,
                                     JsonObject overrides) {
    int pieces = Math.max(1, Math.min(chunks, 3));
    MessageConsumer<JsonObject> serve = bus().consumer(taskAddress(id, Constants.MANIFEST), message -> {
      int chunk = message.body().getInteger("chunk");
      int from = manifest.length * chunk / pieces;
      int to = manifest.length * (chunk + 1) / pieces;
      message.reply(Buffer.buffer(Arrays.copyOfRange(manifest, from, to)));
    });
    consumers.add(serve);
    JsonObject ask = new JsonObject().put("taskId", id).put("source", FAKE_SOURCE).put("dst", dst)
        .put("delete", false).put("overwrite", true)
        .put("manifest", new JsonObject().put("digest", digest).put("chunks", chunks).put("entries", ANNOUNCED_ENTRIES))
        .mergeIn(overrides);
    return serve.completion().compose(v -> bus().<JsonObject>request(nodeAddress(TARGET, Constants.PREPARE), ask,
        new DeliveryOptions().setSendTimeout(30_000))).map(reply -> reply.body());
  }

  /** Prepares {@code base/dst} (an existing, empty directory) for one file f.bin with these bytes. */
  private Path preparedDestination(byte[] data) throws IOException {
    Path dst = Files.createDirectories(cluster.path(TARGET, base + "/dst"));
    targetBefore = TreeSnapshot.of(cluster.root(TARGET));
    JsonObject reply = await(prepare(base + "/dst", encode(okManifest(data))), 30);
    assertEquals(1L, reply.getLong("needFiles"), reply.encode());
    // As a real source does once it has planned the tree: the fake source itself is the parent.
    await(bus().request(nodeAddress(TARGET, Constants.PARENTS),
        new ExpectedParents(taskId, List.of(FAKE_SOURCE)).toJson()), 30);
    return dst;
  }

  private static Manifest okManifest(byte[] data) {
    return Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755), Entry.file("f.bin", data.length, Timestamp.ofEpochNanos(MTIME), 0640, sha256(data))));
  }

  /** The body a real source would send for f.bin, but carrying {@code bytes} as the file's content. */
  private Buffer stream(byte[] data, int index, byte[] bytes) {
    Entry entry = Entry.file("f.bin", data.length, Timestamp.ofEpochNanos(MTIME), 0640, sha256(data));
    return header(taskId, TARGET).appendBuffer(Frames.file(index, entry, 0, false)).appendBytes(bytes)
        .appendBuffer(check(index, data)).appendBuffer(Frames.end(1));
  }

  /** The check a real source sends after a file it read as {@code data}. */
  private static Buffer check(int index, byte[] data) {
    Checksum crc = Frames.crc32c();
    crc.update(data);
    return Frames.check(index, (int) crc.getValue());
  }

  private Buffer header(String id, String node) {
    TreeNode self = new TreeNode(node, "127.0.0.1", cluster.config(TARGET).dataPort(), List.of());
    return new StreamHeader(id, FAKE_SOURCE, self, 0).encode();
  }

  private JsonObject send(Buffer stream) throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(stream.getBytes());
      return await(result.future(), 30);
    }
  }

  private NodeIdentity fakeSource() {
    if (fakeSource == null) {
      fakeSource = cluster.identity(FAKE_SOURCE);
    }
    return fakeSource;
  }

  private Path outside() throws IOException {
    Path outside = cluster.root(TARGET).resolve("outside-" + UUID.randomUUID());
    file(outside, "sentinel.txt", "must stay\n");
    file(outside, "victim/sentinel.txt", "must stay too\n");
    return outside;
  }

  // ---- checks ----

  /** A connection with a certificate of the cluster: the fake source is a certified node that misbehaves. */
  private Socket connect() throws IOException {
    return connect(fakeSource());
  }

  /** A connection that presents holder's certificate and trusts the cluster's CA. */
  private Socket connect(NodeIdentity holder) throws IOException {
    Socket socket = TlsSockets.connect(cluster.node("node0").vertx(), holder, fakeSource(), "127.0.0.1",
        cluster.config(TARGET).dataPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Writes {@code bytes} on a fresh connection and expects the node to close it without a word. */
  private void assertDropped(byte[] bytes) throws IOException {
    assertDropped(bytes, 10_000);
  }

  private void assertDropped(byte[] bytes, long withinMs) throws IOException {
    assertDroppedFrom(fakeSource(), bytes, withinMs);
  }

  private void assertDroppedFrom(NodeIdentity holder, byte[] bytes) throws IOException {
    assertDroppedFrom(holder, bytes, 10_000);
  }

  private void assertDroppedFrom(NodeIdentity holder, byte[] bytes, long withinMs) throws IOException {
    try (Socket socket = connect(holder)) {
      socket.setSoTimeout((int) withinMs);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException closedWhileWriting) {
        return;
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        for (int b = in.read(); b >= 0; b = in.read()) {
          answer.write(b);
        }
      } catch (SocketTimeoutException e) {
        fail("the node kept the connection open for " + withinMs + " ms after " + bytes.length + " bad bytes");
      } catch (IOException reset) {
        return;
      }
      assertEquals(0, answer.size(), "the node answered a bad stream");
    }
  }

  private void assertNoReportWithin(long ms) {
    try {
      JsonObject report = result.future().await(ms, TimeUnit.MILLISECONDS);
      fail("the target read the stream and reported " + report.encode());
    } catch (TimeoutException expected) {
      // nothing reported: nothing was read
    }
  }

  private static ReplyException refused(Future<?> future) {
    Throwable failure = await(failure(future), 30);
    assertNotNull(failure, "the target accepted it");
    return assertInstanceOf(ReplyException.class, failure);
  }

  /** @return a future of the failure, or of null if {@code future} succeeded */
  private static Future<Throwable> failure(Future<?> future) {
    return future.transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null));
  }

  private void assertTargetUnchanged() {
    try {
      assertEquals(List.of(), targetBefore.differences(TreeSnapshot.of(cluster.root(TARGET))),
          TARGET + "'s files changed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertFailedReport(JsonObject report, String words) {
    assertEquals("failed", report.getString("status"), report.encode());
    assertEquals(TARGET, report.getString("target"), report.encode());
    assertTrue(String.valueOf(report.getString("message")).contains(words), report.encode());
  }

  private void assertNothingLanded(Path dst) throws IOException {
    assertEquals(List.of(), list(dst));
    assertNoTemporaryFiles(dst);
    assertTargetUnchanged();
  }

  private static List<String> list(Path dir) throws IOException {
    try (var children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] content(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static byte[] encode(Manifest manifest) {
    return ManifestCodec.encode(manifest);
  }

  private static String sha256(byte[] data) {
    return HexFormat.of().formatHex(FileFacts.sha256().digest(data));
  }
}
