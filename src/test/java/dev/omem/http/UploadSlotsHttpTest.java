package dev.omem.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An attacker's view of raw import uploads: a tenant that sends its file slowly holds a worker, so
 * it may hold one upload slot, and the server receives at most {@link UploadSlots#AT_ONCE} at once.
 * Without the slots every slow upload would hold a worker for up to ten minutes.
 */
class UploadSlotsHttpTest extends OneServerPerClass {
  private static final byte[] FILE =
      (HttpFixture.json(Map.of("content", "Deploys go out on Tuesdays")) + "\n")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void aSlowUploadHoldsOneSlotAndNobodyElsesRequests() throws Exception {
    HttpFixture.Tenant mallory = http.newTenant("slow-mallory");
    HttpFixture.Tenant sybil = http.newTenant("slow-sybil");
    HttpFixture.Tenant alice = http.newTenant("slow-alice");
    try (Socket first = slowUpload(mallory.key())) {
      awaitRefused(mallory.key(), 1, "another import of yours");
      assertFalse(first.isClosed());
      // Another tenant's upload is still received whole while mallory's trickles.
      completed(raw(alice.key()));
      // Its answer can come before its copy is removed (the import's last step): count only
      // mallory's copy before sybil's, or alice's leftover would pass for sybil's being received.
      awaitSpooled(1);
      try (Socket second = slowUpload(sybil.key())) {
        awaitRefused(alice.key(), 2, "imports already");
        assertFalse(second.isClosed());
        // Every other request is answered meanwhile.
        http.post(
                "/v1/memories",
                alice.key(),
                HttpFixture.json(Map.of("content", "Staging is rebuilt nightly")))
            .expect(201);
      }
    }
    // A dropped upload gives its slot back and stores nothing.
    long deadline = System.nanoTime() + 30_000_000_000L;
    Res r = raw(mallory.key());
    while (r.status() == 429 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = raw(mallory.key());
    }
    completed(r);
    assertEquals(1, http.snapshot(mallory.key()).size(), "only the whole upload is stored");
    assertEquals(List.of(), spooled());
  }

  /** Sends the head of a 10 MB upload and a few bytes of it, then nothing. */
  private static Socket slowUpload(String key) throws IOException {
    Socket s = new Socket("127.0.0.1", http.server.port());
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /v1/imports?file_type=jsonl HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                + key
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(FILE);
    out.flush();
    return s;
  }

  /**
   * Waits until the slow uploads are being received (each has its copy in the spool), then checks
   * that the next upload is refused for its slot. The probe is a blank file, which an admitted
   * upload would refuse as empty (400), so it can never store anything.
   */
  private static void awaitRefused(String key, int receiving, String reason) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (spooled().size() < receiving && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(receiving, spooled().size(), "uploads being received");
    Res r = raw(key, " ".getBytes(StandardCharsets.UTF_8));
    r.expectError(429, "rate_limited");
    assertTrue(r.body().contains(reason), r.body());
  }

  /** Waits until the spool holds exactly {@code files} copies, and checks that it does. */
  private static void awaitSpooled(int files) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (spooled().size() != files && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(files, spooled().size(), "copies in the spool");
  }

  private static Res raw(String key) {
    return raw(key, FILE);
  }

  private static Res raw(String key, byte[] file) {
    return http.rawImport(key, "file_type=jsonl&wait=20", file);
  }

  private static void completed(Res r) {
    assertEquals(200, r.status(), r.body());
    assertEquals("completed", r.json().path("status").asText(), r.body());
  }
}
