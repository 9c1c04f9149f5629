package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies past the 1 MiB limit, with a Content-Length and chunked, and bodies or query strings that
 * are not text at all: each answered with the envelope, nothing stored.
 */
class BodyLimitHttpTest {
  private static final int LIMIT = ServeSettings.DEFAULT_MAX_BODY_BYTES;

  @TempDir static Path home;
  static HttpFixture http;
  static HttpFixture.Tenant a;
  static Map<String, JsonNode> before;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.start(home);
    a = http.newTenant("a");
    http.create(a.key(), "The build runs on GitHub Actions");
    before = http.snapshot(a.key());
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  /**
   * A valid create body of exactly {@code size} bytes (ingest messages, so content stays small).
   */
  static byte[] ingestBody(int size) {
    // The fact is given (the `facts` extension), so the test does not depend on what smart
    // extraction keeps of one short sentence.
    String head =
        "{\"messages\": [{\"role\": \"user\", \"content\": \"We keep releases small\"}],"
            + " \"facts\": [{\"text\": \"We keep releases small\", \"category\": \"patterns\"}],";
    String tail = "\"pad\": \"\"}";
    String pad = "p".repeat(size - head.length() - tail.length());
    byte[] b = (head + tail.replace("\"\"", "\"" + pad + "\"")).getBytes(StandardCharsets.UTF_8);
    assertEquals(size, b.length);
    return b;
  }

  /** A publisher without a length: the client sends it chunked. */
  static BodyPublisher chunked(byte[] body) {
    return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
  }

  /**
   * Oversize with a Content-Length: 413 before the body is read. Ten rounds, each followed by
   * requests on the same client: the server must close the connection it did not drain (and say
   * so), or the client's next request on it gets no answer at all.
   */
  @Test
  void oversizeWithContentLengthIs413() {
    byte[] body = ingestBody(LIMIT + 1);
    for (int i = 0; i < 10; i++) {
      http.send("POST", "/v1/memories", a.key(), BodyPublishers.ofByteArray(body))
          .expectError(413, "payload_too_large");
      http.send("POST", "/v1/tenants", null, BodyPublishers.ofByteArray(body))
          .expectError(413, "payload_too_large");
      http.get("/v1/stats", a.key()).expect(200);
    }
    assertEquals(before, http.snapshot(a.key()));
  }

  /** Oversize and chunked: caught while reading, at the limit. */
  @Test
  void oversizeChunkedIs413() {
    byte[] body = ingestBody(LIMIT + 1);
    for (int i = 0; i < 10; i++) {
      http.send("POST", "/v1/memories", a.key(), chunked(body))
          .expectError(413, "payload_too_large");
      http.send("POST", "/v1/tenants", null, chunked(body)).expectError(413, "payload_too_large");
      http.get("/v1/stats", a.key()).expect(200);
    }
    http.send("POST", "/v1/memories", a.key(), chunked(ingestBody(4 * LIMIT)))
        .expectError(413, "payload_too_large");
    assertEquals(before, http.snapshot(a.key()));
  }

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() {
    HttpFixture.Tenant c = http.newTenant("c");
    JsonNode one =
        http.send("POST", "/v1/memories", c.key(), chunked(ingestBody(LIMIT))).expect(202);
    JsonNode two =
        http.send("POST", "/v1/memories", c.key(), BodyPublishers.ofByteArray(ingestBody(LIMIT)))
            .expect(202);
    JsonNode first = http.finishedTask(c.key(), one.path("task_id").asText());
    JsonNode second = http.finishedTask(c.key(), two.path("task_id").asText());
    assertEquals(first.path("memory_ids"), second.path("memory_ids"), "one fact, stored once");
    assertEquals(1, second.path("skipped").asInt(), second.toString());
    JsonNode stored =
        http.get("/v1/memories/" + first.path("memory_ids").get(0).asText(), c.key()).expect(200);
    assertEquals("We keep releases small", stored.path("content").asText());
  }

  @Test
  void bytesThatAreNotJsonTextAre400() {
    byte[][] bodies = {
      {
        '{',
        '"',
        'c',
        'o',
        'n',
        't',
        'e',
        'n',
        't',
        '"',
        ':',
        '"',
        (byte) 0xff,
        (byte) 0xfe,
        '"',
        '}'
      },
      {0, 0, 0, '{', 0, 0, 0, '"', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      {(byte) 0xfe, (byte) 0xff, 0, '{', (byte) 0xd8, 0, '}'},
      {(byte) 0xc3, (byte) 0x28}
    };
    for (byte[] b : bodies) {
      http.send("POST", "/v1/memories", a.key(), BodyPublishers.ofByteArray(b))
          .expectError(400, "validation_error");
    }
    assertEquals(before, http.snapshot(a.key()));
  }

  /**
   * A query string that is not URL-encoded. The JDK's HTTP client cannot send one (its URI refuses
   * it), so this one request goes over a plain socket.
   */
  @Test
  void aQueryStringThatIsNotUrlEncodedIs400() throws IOException {
    for (String target :
        new String[] {
          "/v1/memories?project=%ZZ", "/v1/memories/search?q=100%", "/v1/stats?x=%G1"
        }) {
      String answer = raw("GET " + target + " HTTP/1.1\r\n" + "X-API-Key: " + a.key() + "\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 400 "), target + ": " + answer);
      assertTrue(answer.contains("\"code\":\"validation_error\""), target + ": " + answer);
    }
  }

  private static String raw(String requestHead) throws IOException {
    try (Socket s = new Socket("127.0.0.1", http.server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (requestHead + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
