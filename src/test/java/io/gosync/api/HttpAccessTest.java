package io.gosync.api;

import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.gosync.trust.ClusterAuthority;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who the HTTP API answers: on its default loopback address, anyone with the cluster's token and nobody
 * without it (but for /health); bound beyond loopback, HTTPS only, where a client certificate of the
 * cluster does instead of the token and one of another CA does not.
 */
class HttpAccessTest {

  /** A node of the shared cluster whose API listens on every interface. */
  private static final String WIDE = "http-wide";

  private static TestCluster cluster;
  private static Vertx vertx;
  private static HttpClientAgent plain;
  /** A certs directory of the cluster for the test's own client. */
  private static Path clientCerts;

  @TempDir
  static Path elsewhere;

  private final String base = "/data/access-" + UUID.randomUUID();

  private record Reply(int status, MultiMap headers, String text) {
    String error() {
      return new JsonObject(text).getString("error");
    }
  }

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    cluster.addNode(WIDE, new JsonObject().put("httpBind", "0.0.0.0"));
    vertx = Vertx.vertx();
    // A connection for each request, as the CLI makes one: CI saw a request on a connection pooled from an earlier
    // test (the one a task's events came on) wait for ever, once in many runs, in the client; the server closes
    // refused connections itself, so reuse tests nothing of ours.
    plain = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    clientCerts = cluster.issue("http-client");
  }

  @AfterAll
  static void stop() {
    cluster.stop(WIDE);
    TestCluster.await(vertx.close(), 30);
  }

  // ---- on loopback: the token ----

  @Test
  void aTaskWithoutTheTokenIsRefusedAndChangesNothing() throws IOException {
    mixed(cluster.path("node0", base + "/src"), 5, 100_000);
    TreeSnapshot target = TreeSnapshot.of(cluster.root("node1"));
    String id = "access-" + UUID.randomUUID();

    Reply reply = send(plain, submit(), null, task(id));

    assertEquals(401, reply.status(), reply.text());
    assertTrue(reply.headers().get("WWW-Authenticate").startsWith("Bearer"), reply.headers().toString());
    assertTrue(reply.error().contains("token"), reply.text());
    assertEquals(List.of(), target.differences(TreeSnapshot.of(cluster.root("node1"))), "node1 was written");
    assertEquals(404, send(plain, get("node0", "/api/v1/tasks/" + id), cluster.token(), null).status(),
        "a refused request left a task");
  }

  @Test
  void aWrongTokenIsRefusedOnEveryRoute() {
    String wrong = "x".repeat(43);
    for (String path : List.of("/api/v1/nodes", "/api/v1/tasks/any", "/api/v1/tasks/any/events", "/no/such/route")) {
      Reply reply = send(plain, get("node0", path), wrong, null);
      assertEquals(401, reply.status(), path + ": " + reply.text());
    }
    assertEquals(401, send(plain, submit(), wrong, task("unused")).status());
  }

  /**
   * A refused POST whose announced body never comes is answered all the same, within the drain limit: it held
   * the connection, unanswered, for as long as the client kept it open before (and CI saw a refused POST
   * unanswered for 30 s now and then, cause unknown).
   */
  @Test
  void aRefusedPostWhoseBodyNeverComesIsAnsweredWithinTheDrainLimit() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", cluster.config("node0").httpPort()), 5000);
      socket.setSoTimeout((int) (TokenOrCertificate.DRAIN_LIMIT_MS * 5));
      long started = System.nanoTime();
      socket.getOutputStream().write(("POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
          + "\r\nContent-Length: 100\r\n\r\n{\"src\":").getBytes(StandardCharsets.US_ASCII));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      long ms = (System.nanoTime() - started) / 1_000_000;

      assertEquals("HTTP/1.1 401 Unauthorized", status);
      assertTrue(ms >= TokenOrCertificate.DRAIN_LIMIT_MS - 100 && ms < TokenOrCertificate.DRAIN_LIMIT_MS * 3,
          "answered after " + ms + " ms");
    }
  }

  /** A refused request's body is dropped unread and its connection closed; the client's next requests are answered. */
  @Test
  void afterRefusedPostsTheClientIsAnsweredAgain() {
    for (int i = 0; i < 3; i++) {
      assertEquals(401, send(plain, submit(), null, task("refused-" + i)).status());
    }
    assertEquals(200, send(plain, get("node0", "/api/v1/nodes"), cluster.token(), null).status());
  }

  /** A refused body is dropped as it comes, and one larger than any request of ours ends its connection. */
  @Test
  void aRefusedBodyLargerThanAnyRequestIsNotReadToItsEnd() {
    Buffer huge = Buffer.buffer(new byte[3 << 20]);
    Future<Integer> refused = plain.request(submit())
        .compose(request -> request.send(huge))
        .map(HttpClientResponse::statusCode)
        .recover(closed -> Future.succeededFuture(-1));

    int status = TestCluster.await(refused, 30);

    assertEquals(-1, status, "the refused body was read to its end and answered");
    assertEquals(200, send(plain, get("node0", "/api/v1/nodes"), cluster.token(), null).status());
  }

  @Test
  void withTheTokenTheTaskRuns() throws Exception {
    Path src = mixed(cluster.path("node0", base + "/src"), 6, 200_000);
    String id = "access-" + UUID.randomUUID();

    Reply accepted = send(plain, submit(), cluster.token(), task(id));

    assertEquals(202, accepted.status(), accepted.text());
    assertEquals("done", awaitDone(id).getString("state"));
    assertSameTree(src, cluster.path("node1", base + "/dst"));
  }

  @Test
  void healthAnswersWithoutAToken() {
    Reply reply = send(plain, get("node0", "/health"), null, null);

    assertEquals(200, reply.status(), reply.text());
    assertEquals("UP", new JsonObject(reply.text()).getString("status"));
  }

  @Test
  void byDefaultTheApiDoesNotAnswerBeyondLoopback() {
    int port = cluster.config("node0").httpPort();

    // All of 127/8 reaches this host's loopback: 127.0.0.2 is another address of it that the API is not bound to.
    assertThrows(ConnectException.class, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.2", port), 5000);
      }
    });
    assertEquals("127.0.0.1", cluster.config("node0").httpBind());
  }

  // ---- beyond loopback: HTTPS, and a certificate of the cluster instead of the token ----

  @Test
  void beyondLoopbackPlainHttpIsNotAnswered() {
    Future<Reply> answer = request(plain, get(WIDE, "/health"), null, null);

    assertTrue(settle(answer).failed(), "plain HTTP was answered: " + answer.result());
  }

  @Test
  void beyondLoopbackHttpsWantsTheTokenOrAClusterCertificate() {
    HttpClientAgent anonymous = https(null);
    HttpClientAgent certified = https(clientCerts);

    assertEquals(200, send(anonymous, get(WIDE, "/health"), null, null).status());
    assertEquals(401, send(anonymous, get(WIDE, "/api/v1/nodes"), null, null).status());
    assertEquals(200, send(anonymous, get(WIDE, "/api/v1/nodes"), cluster.token(), null).status());
    Reply byCertificate = send(certified, get(WIDE, "/api/v1/nodes"), null, null);
    assertEquals(200, byCertificate.status(), byCertificate.text());
    assertTrue(new JsonArray(byCertificate.text()).size() >= 2, byCertificate.text());
  }

  /**
   * A well-behaved TLS client offers no certificate that the server's list of CAs does not name; an attacker's
   * offers it anyway, which is what this client does.
   */
  @Test
  void beyondLoopbackACertificateOfAnotherCaIsNotTheCluster() throws Exception {
    Path intruder = ClusterAuthority.init(Files.createDirectories(elsewhere.resolve("other-ca")))
        .issue("intruder", List.of("127.0.0.1"), true);
    mixed(cluster.path(WIDE, base + "/src"), 7, 10_000);
    TreeSnapshot target = TreeSnapshot.of(cluster.root("node1"));

    int ours = forcedStatus(clientCerts, "GET", "/api/v1/nodes", null);
    int theirs = forcedStatus(intruder, "POST", "/api/v1/tasks", task("intruder-" + UUID.randomUUID()));

    assertEquals(200, ours, "the same client with the cluster's certificate");
    assertTrue(theirs == 401 || theirs == -1, "answered " + theirs);
    assertEquals(List.of(), target.differences(TreeSnapshot.of(cluster.root("node1"))), "node1 was written");
  }

  /**
   * The status of one HTTPS request, without a token, from a client that offers the certificate in certs
   * whatever the server asks for: a well-behaved TLS client offers none that the server's list of CAs does
   * not name, an attacker's does. -1 when the server refuses the handshake.
   */
  private static int forcedStatus(Path certs, String method, String path, JsonObject body) throws Exception {
    URL url = new URL("https://127.0.0.1:" + cluster.config(WIDE).httpPort() + path);
    HttpsURLConnection http = (HttpsURLConnection) url.openConnection(Proxy.NO_PROXY);
    http.setSSLSocketFactory(forcing(certs).getSocketFactory());
    http.setHostnameVerifier((host, session) -> true);
    http.setRequestMethod(method);
    try {
      if (body != null) {
        http.setDoOutput(true);
        try (OutputStream out = http.getOutputStream()) {
          out.write(body.encode().getBytes(StandardCharsets.UTF_8));
        }
      }
      return http.getResponseCode();
    } catch (IOException e) {
      // Refused in the handshake. Under TLS 1.3 the client's side of it ends before the server has
      // judged the client's certificate, so the refusal may surface as an SSLException or as a
      // connection broken while the request is written ("Error writing to server"): both are -1.
      return -1;
    }
  }

  /** A TLS context that trusts the cluster CA and offers the certificate in certs whatever the server asks for. */
  private static SSLContext forcing(Path certs) throws Exception {
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    X509Certificate own;
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(certs.resolve("node.pem"));
        InputStream trusted = Files.newInputStream(clientCerts.resolve("ca.pem"))) {
      own = (X509Certificate) x509.generateCertificate(in);
      ca = (X509Certificate) x509.generateCertificate(trusted);
    }
    String pem = Files.readString(certs.resolve("node-key.pem")).replaceAll("-----[A-Z ]+-----|\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return "own";
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return "own";
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return new X509Certificate[] {own};
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return key;
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {"own"};
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }
    };
    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
    anchors.load(null, null);
    anchors.setCertificateEntry("ca", ca);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {always}, trust.getTrustManagers(), null);
    return context;
  }

  // ---- helpers ----

  private JsonObject task(String id) {
    return new JsonObject().put("id", id).put("src", base + "/src").put("dst", base + "/dst")
        .put("targets", new JsonArray().add("node1"));
  }

  private static RequestOptions submit() {
    return submit("node0");
  }

  private static RequestOptions submit(String node) {
    return get(node, "/api/v1/tasks").setMethod(HttpMethod.POST).putHeader("Content-Type", "application/json");
  }

  private static RequestOptions get(String node, String path) {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(cluster.config(node).httpPort()).setURI(path);
  }

  /** A client that trusts the cluster CA only, offering the certificate in certs (none when null). */
  private static HttpClientAgent https(Path certs) {
    HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(clientCerts.resolve("ca.pem").toString()));
    if (certs != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("node.pem").toString())
          .setKeyPath(certs.resolve("node-key.pem").toString()));
    }
    return vertx.createHttpClient(options);
  }

  private static Reply send(HttpClientAgent client, RequestOptions options, String token, JsonObject body) {
    return TestCluster.await(request(client, options, token, body), 30);
  }

  private static Future<Reply> request(HttpClientAgent client, RequestOptions options, String token, JsonObject body) {
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body.encode()))
        .compose(response -> response.body().map(Buffer::toString)
            .map(text -> new Reply(response.statusCode(), response.headers(), text)));
  }

  /** The outcome of a request that may fail, once it is known. */
  private static AsyncResult<Reply> settle(Future<Reply> answer) {
    return TestCluster.await(answer.<AsyncResult<Reply>>transform(Future::succeededFuture), 30);
  }

  /** Follows the task's events to its "done" event. */
  private static JsonObject awaitDone(String id) {
    Reply events = TestCluster.await(request(plain, get("node0", "/api/v1/tasks/" + id + "/events"),
        cluster.token(), null), 120);
    assertEquals(200, events.status(), events.text());
    String last = events.text().lines().filter(line -> line.startsWith("data: ")).reduce((a, b) -> b).orElseThrow();
    return new JsonObject(last.substring("data: ".length()));
  }
}
