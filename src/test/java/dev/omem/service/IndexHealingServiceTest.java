package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.SearchOutcome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged index under the whole service (real SQLite, Lucene and ONNX model): searches keep
 * finding every memory, stores keep working, the index heals, and the doctor's check says what it
 * found. The fallback itself, held open, is {@code IndexHealingTest} and {@code
 * StoreFallbackSearchTest}.
 */
class IndexHealingServiceTest {
  static final List<String> FACTS =
      List.of(
          "Deploys go through ArgoCD on the prod cluster",
          "The staging database is Postgres 15",
          "Alice owns the billing service",
          "Feature flags live in LaunchDarkly",
          "The API rate limit is 600 requests per minute",
          "Logs are shipped to Loki with promtail",
          "Our CI runs on Buildkite agents",
          "Secrets are kept in Vault under kv/team",
          "The mobile app is written in Kotlin Multiplatform",
          "Incidents are tracked in incident.io");

  @TempDir Path home;
  final Caller caller = Caller.local("github.com/acme/alpha");
  final List<Memory> stored = new ArrayList<>();
  LocalMemoryService svc;

  LocalMemoryService open() {
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  @AfterEach
  void closeService() {
    if (svc != null) {
      svc.close();
    }
  }

  void storeFacts(List<String> facts) {
    for (String f : facts) {
      stored.add(svc.store(caller, StoreRequest.of(f)));
    }
  }

  /** Every stored memory is the first answer to its own words. */
  void assertEveryMemoryFound() {
    for (Memory m : stored) {
      SearchOutcome out =
          svc.search(
              caller, SearchRequest.builder(m.content()).limit(3).includeTrace(true).build());
      assertFalse(out.results().isEmpty(), "found: " + m.content());
      assertEquals(m.id(), out.results().get(0).memory().id(), m.content());
    }
  }

  void awaitIndexOk() {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!"ok".equals(svc.health().get("index_status"))) {
      assertTrue(System.nanoTime() < end, "index healthy again: " + svc.health());
      sleep();
    }
  }

  Path largestFileEndingWith(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(home.resolve("index"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
  }

  @Test
  void bytesFlippedInTheIndexAtRestAreReportedAndHealedAndNothingIsLost() throws IOException {
    svc = open();
    storeFacts(FACTS.subList(0, 5));
    svc.close();
    svc = open();
    storeFacts(FACTS.subList(5, 8));
    svc.close();

    Path victim = largestFileEndingWith(".vec");
    try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
      long mid = f.length() / 2;
      f.seek(mid);
      byte[] b = new byte[20];
      f.readFully(b);
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) ~b[i];
      }
      f.seek(mid);
      f.write(b);
    }

    svc = open();
    assertEveryMemoryFound(); // while rebuilt, or after: either way every memory is there
    storeFacts(FACTS.subList(8, 10)); // stores keep working
    assertEveryMemoryFound();
    awaitIndexOk();
    assertEveryMemoryFound();
    SearchOutcome fromLucene =
        svc.search(caller, SearchRequest.builder(FACTS.get(0)).limit(3).includeTrace(true).build());
    assertNull(fromLucene.trace().stages().get(0).note(), "the index answers again");

    Map<String, Object> report = svc.checkIndex(Duration.ofSeconds(30));
    assertEquals("damaged", report.get("index_check"), report.toString());
    assertTrue(
        report.get("index_damage").toString().contains(victim.getFileName().toString()),
        report.toString());
    assertTrue(report.get("index_repair").toString().startsWith("rebuilt"), report.toString());
    assertEquals(stored.size(), ((Number) svc.health().get("index_documents")).intValue());
    svc.close();

    svc = open();
    Map<String, Object> again = svc.checkIndex(Duration.ofSeconds(30));
    assertEquals("ok", again.get("index_check"), again.toString());
    assertEquals("none needed", again.get("index_repair"));
    assertEveryMemoryFound();
  }

  @Test
  void theIndexFolderDeletedUnderTheRunningServiceIsRecreated() throws IOException {
    svc = open();
    storeFacts(FACTS.subList(0, 6));
    assertEveryMemoryFound();
    try (Stream<Path> all = Files.walk(home.resolve("index"))) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    storeFacts(FACTS.subList(6, 9)); // never "IndexWriter is closed"
    assertEveryMemoryFound();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.isDirectory(home.resolve("index"))
        || !"ok".equals(svc.health().get("index_status"))) {
      assertTrue(System.nanoTime() < end, "the folder is recreated: " + svc.health());
      sleep();
    }
    storeFacts(FACTS.subList(9, 10));
    assertEveryMemoryFound();
    Map<String, Object> h = svc.health();
    assertEquals(stored.size(), ((Number) h.get("index_documents")).intValue(), h.toString());
    assertEquals(0L, ((Number) h.get("index_lag")).longValue(), h.toString());
  }

  static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
