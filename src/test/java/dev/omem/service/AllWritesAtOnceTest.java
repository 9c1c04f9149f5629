package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of write at once, from many threads, on the same content (real SQLite file, Lucene
 * index and ONNX model): store, storeAll, import, ingest's facts, update, forget and restore,
 * share, pull, unshare, confirm and the decay pass. Afterwards no text is active twice where the
 * unique index applies, no write is lost, and every memory's history is complete.
 */
class AllWritesAtOnceTest {
  private static final String SAME = "Deploys go through the staging cluster before production";
  private static final int STORES = 12;
  private static final int EDITORS = 3;
  private static final int EDITS = 5;

  @TempDir Path home;
  private final Caller alpha = Caller.local("github.com/acme/alpha");

  @Test
  void noDuplicatesNoLostWritesHistoryComplete() throws Exception {
    LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    Set<String> sameIds = ConcurrentHashMap.newKeySet();
    List<String> distinct = new ArrayList<>();
    AtomicInteger unshared = new AtomicInteger();
    Memory edited;
    Memory cycled;
    Memory sharedOut;
    Memory teamOnly;
    Space team;
    String candidate;
    try {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      edited = svc.store(alpha, StoreRequest.of("The release train leaves every Tuesday"));
      cycled = svc.store(alpha, StoreRequest.of("Feature flags live in LaunchDarkly"));
      sharedOut = svc.store(alpha, StoreRequest.of("The API gateway is Kong"));
      team = svc.createSpace(alpha, new SpaceRequest("platform", "team", List.of()));
      teamOnly =
          svc.store(
              alpha,
              new StoreRequest(
                  "Postgres backups run nightly at 02:00",
                  null,
                  null,
                  null,
                  null,
                  null,
                  team.id()));
      svc.share(alpha, cycled.id(), team.id(), null); // unshared below, by two threads at once
      candidate = candidate(svc, "Staging runs Postgres 15 on a single node");
      String toConfirm = candidate;

      List<Runnable> work = new ArrayList<>();
      for (int i = 0; i < STORES; i++) {
        work.add(() -> sameIds.add(svc.store(alpha, StoreRequest.of(SAME)).id()));
      }
      for (int i = 0; i < 2; i++) {
        String own = "Batch fact number " + i + " is about the cache warmer";
        distinct.add(own);
        work.add(
            () ->
                svc.storeAll(alpha, List.of(StoreRequest.of(SAME), StoreRequest.of(own)))
                    .forEach(
                        m -> {
                          if (m.content().equals(SAME)) {
                            sameIds.add(m.id());
                          }
                        }));
      }
      for (int i = 0; i < 2; i++) {
        String own = "Imported fact number " + i + " is about the log shipper";
        distinct.add(own);
        String file = "- " + SAME + "\n- " + own + "\n";
        work.add(
            () -> {
              ImportRecord r =
                  svc.importFile(
                      alpha,
                      new ImportRequest("markdown", file, "notes.md", false, "atomic", null),
                      ImportProgress.NONE);
              assertEquals(2, r.imported() + r.skipped(), r.toString());
            });
      }
      for (int i = 0; i < 2; i++) {
        work.add(
            () -> {
              IngestResult r =
                  svc.ingest(
                      alpha,
                      new IngestRequest(
                          List.of(new IngestRequest.Message("user", SAME)),
                          "smart",
                          null,
                          List.of(new IngestRequest.Fact(SAME, "entities", null, 0.9, 0.9))));
              assertTrue(svc.awaitTask(alpha, r.taskId(), Duration.ofSeconds(60)).finished());
            });
      }
      for (int t = 0; t < EDITORS; t++) {
        int editor = t;
        work.add(
            () -> {
              for (int j = 0; j < EDITS; j++) {
                svc.update(
                    alpha,
                    new UpdateRequest(
                        edited.id(), null, List.of("e" + editor + "-" + j), null, null, null));
              }
            });
      }
      work.add(
          () -> {
            for (int j = 0; j < 3; j++) {
              svc.forget(alpha, cycled.id());
              svc.update(alpha, new UpdateRequest(cycled.id(), null, null, null, null, "active"));
            }
          });
      for (int i = 0; i < 3; i++) {
        work.add(
            () ->
                svc.update(
                    alpha, new UpdateRequest(toConfirm, null, null, null, null, null, true)));
      }
      for (int i = 0; i < 2; i++) {
        String tag = "c" + i;
        work.add(
            () ->
                svc.update(
                    alpha, new UpdateRequest(toConfirm, null, List.of(tag), null, null, null)));
      }
      for (int i = 0; i < 3; i++) {
        work.add(() -> svc.share(alpha, sharedOut.id(), team.id(), null));
        work.add(() -> svc.pull(alpha, teamOnly.id(), team.id()));
        work.add(() -> svc.decay(alpha));
      }
      for (int i = 0; i < 2; i++) {
        work.add(
            () -> {
              try {
                unshared.addAndGet(svc.unshare(alpha, cycled.id(), team.id()).removed());
              } catch (OmemException e) {
                assertEquals(ErrorCode.NOT_FOUND, e.code(), e.getMessage());
              }
            });
      }
      runAllAtOnce(work);
      svc.awaitAccesses();
    } finally {
      svc.close();
    }

    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db").toAbsolutePath())) {
      assertEquals(
          0,
          count(
              c,
              "SELECT COUNT(*) FROM (SELECT 1 FROM memories WHERE state='active'"
                  + " AND duplicate_allowed=0 GROUP BY tenant_id, scope, content_hash"
                  + " HAVING COUNT(*) > 1)"),
          "no text is active twice in a partition and scope");
      assertEquals(
          1,
          count(c, "SELECT COUNT(*) FROM memories WHERE state='active' AND content='" + SAME + "'"),
          "one memory of the text everyone wrote");
      assertEquals(1, sameIds.size(), "every store and storeAll answered with that memory");
      assertEquals(
          sameIds.iterator().next(),
          string(c, "SELECT id FROM memories WHERE state='active' AND content='" + SAME + "'"));
      for (String own : distinct) {
        assertEquals(
            1,
            count(
                c, "SELECT COUNT(*) FROM memories WHERE state='active' AND content='" + own + "'"),
            "not lost: " + own);
      }
      assertEquals(
          1,
          count(
              c,
              "SELECT COUNT(*) FROM memories WHERE tenant_id='"
                  + team.id()
                  + "' AND json_extract(provenance, '$.shared_from_memory')='"
                  + sharedOut.id()
                  + "'"),
          "three shares at once made one copy");
      assertEquals(
          1,
          count(
              c,
              "SELECT COUNT(*) FROM memories WHERE json_extract(provenance,"
                  + " '$.shared_from_memory')='"
                  + teamOnly.id()
                  + "'"),
          "three pulls at once made one copy");
      assertEquals(1, unshared.get(), "two unshares at once removed the one copy once");

      // No lost edit: each of the 15 tag updates read the row the one before wrote.
      assertEquals(
          1 + EDITORS * EDITS,
          count(c, "SELECT version FROM memories WHERE id='" + edited.id() + "'"),
          "every update bumped the version of the row as it was");
      assertEquals(EDITORS * EDITS, steps(c, edited.id(), HistoryEntry.Action.UPDATED));
      assertEquals(3, steps(c, cycled.id(), HistoryEntry.Action.DELETED));
      assertEquals(3, steps(c, cycled.id(), HistoryEntry.Action.RESTORED));
      assertEquals(
          MemoryState.ACTIVE.wire(),
          string(c, "SELECT state FROM memories WHERE id='" + cycled.id() + "'"));

      // Three confirmations at once beside two edits: confirmed once, no edit lost.
      assertEquals(1, count(c, "SELECT confirmed FROM memories WHERE id='" + candidate + "'"));
      assertEquals(1, steps(c, candidate, HistoryEntry.Action.CONFIRMED), "confirmed once");
      assertEquals(
          2,
          count(
              c,
              "SELECT COUNT(*) FROM memory_history WHERE memory_id='"
                  + candidate
                  + "' AND action='updated' AND note LIKE '%tags%'"),
          "both tag edits are in the history");

      // History complete: every row was created with a step, and every store of the same text
      // that did not create it left a skip on it.
      assertEquals(
          0,
          count(
              c,
              "SELECT COUNT(*) FROM memories m WHERE NOT EXISTS (SELECT 1 FROM memory_history h"
                  + " WHERE h.memory_id=m.id AND h.action='created')"),
          "every memory has its created step");
      String same = sameIds.iterator().next();
      long createdByStore =
          count(
              c,
              "SELECT COUNT(*) FROM memory_history WHERE memory_id='"
                  + same
                  + "' AND action='created' AND source IS NULL AND note IS NULL");
      long skips = steps(c, same, HistoryEntry.Action.SKIPPED);
      assertTrue(
          skips >= STORES - createdByStore,
          "each store of the text left a step on it: " + skips + " skips");
    }
  }

  /** A candidate: a fact an ingest extracted, unconfirmed until someone confirms it. */
  private String candidate(LocalMemoryService svc, String fact) {
    IngestResult r =
        svc.ingest(
            alpha,
            new IngestRequest(
                List.of(new IngestRequest.Message("user", fact)),
                "smart",
                null,
                List.of(new IngestRequest.Fact(fact, "entities", null, 0.6, null))));
    String id = svc.awaitTask(alpha, r.taskId(), Duration.ofSeconds(60)).steps().get(0).memoryId();
    assertTrue(
        svc.list(alpha, ListRequest.builder().limit(100).offset(0).build()).memories().stream()
            .anyMatch(m -> m.id().equals(id) && m.unconfirmed()),
        "the ingested fact starts as a candidate");
    return id;
  }

  private static void runAllAtOnce(List<Runnable> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(work.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Runnable r : work) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  r.run();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(); // a failure in any thread fails the test with its cause
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static long steps(Connection c, String id, HistoryEntry.Action a) throws Exception {
    return count(
        c,
        "SELECT COUNT(*) FROM memory_history WHERE memory_id='"
            + id
            + "' AND action='"
            + a.wire()
            + "'");
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String string(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
