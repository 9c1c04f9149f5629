package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.store.IngestTaskRepository;
import dev.omem.store.Storage;
import dev.omem.testing.PostgresCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What several nodes on one database rely on: migrations once, ingest tasks claimed once. */
class PostgresClusterSafetyTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void nodesStartingTogetherMigrateOnce() throws Exception {
    PostgresCluster cluster = PostgresCluster.shared();
    String url = cluster.newDatabase("migrate");
    int nodes = 3;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CyclicBarrier start = new CyclicBarrier(nodes);
    List<Future<Storage>> opened = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      opened.add(
          pool.submit(
              () -> {
                start.await();
                return PostgresStorage.open(url);
              }));
    }
    List<Storage> all = new ArrayList<>();
    try {
      for (Future<Storage> f : opened) {
        all.add(f.get(120, TimeUnit.SECONDS)); // none failed on a table made by another
      }
      for (Storage s : all) {
        assertEquals(PostgresMigrations.latestVersion(), s.upkeep().schemaVersion());
      }
      try (Connection c = cluster.connect(PostgresCluster.databaseOf(url));
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT count(*) FROM omem_schema), (SELECT count(*) FROM"
                      + " change_counter)")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
        assertEquals(1, rs.getInt(2), "the first step ran once");
      }
    } finally {
      all.forEach(Storage::close);
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentClaimsOnTwoNodesTakeEachTaskOnce() throws Exception {
    String url = PostgresCluster.shared().newDatabase("claims");
    int tasks = 40;
    int workers = 6;
    try (Storage node1 = PostgresStorage.open(url);
        Storage node2 = PostgresStorage.open(url)) {
      for (int i = 0; i < tasks; i++) {
        node1
            .ingestTasks()
            .create(
                new IngestTaskRepository.TaskRow(
                    "task" + i,
                    "t1",
                    "pending",
                    "smart",
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    T0.plusMillis(i),
                    T0.plusMillis(i)),
                List.of());
      }
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      CyclicBarrier start = new CyclicBarrier(workers);
      List<String> claimed = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> jobs = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        Storage node = w % 2 == 0 ? node1 : node2;
        String owner = "worker" + w;
        jobs.add(
            pool.submit(
                () -> {
                  start.await();
                  int empty = 0;
                  while (empty < 3) { // a claim may come back empty while another commits
                    Optional<IngestTaskRepository.TaskRow> t =
                        node.ingestTasks().claim(owner, T0, T0.plusSeconds(300));
                    if (t.isPresent()) {
                      claimed.add(t.get().id());
                      empty = 0;
                    } else {
                      empty++;
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> j : jobs) {
        j.get(120, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      Set<String> unique = new HashSet<>(claimed);
      assertEquals(claimed.size(), unique.size(), "no task claimed twice: " + claimed);
      assertEquals(tasks, unique.size(), "every task claimed");
      assertTrue(
          node2.ingestTasks().get("task7").orElseThrow().attempts() == 1, "one attempt each");
    }
  }
}
