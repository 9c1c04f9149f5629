package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.store.Coordination;
import dev.omem.store.Storage;
import dev.omem.store.postgres.PostgresCoordination;
import dev.omem.store.postgres.PostgresDatabase;
import dev.omem.store.postgres.PostgresStorage;
import dev.omem.store.sqlite.SqliteStorage;
import dev.omem.testing.MovableClock;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hourly passes run once per cluster and hour on PostgreSQL, and whenever asked alone. */
class ClusterPassesTest {
  @TempDir Path home;

  @Test
  void twoNodesOnOneDatabaseRunTheHourlyPassOncePerHour() {
    String url = PostgresCluster.shared().newDatabase("passes");
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (PostgresDatabase dbA = PostgresDatabase.open(url);
        PostgresDatabase dbB = PostgresDatabase.open(url);
        Coordination ca = PostgresCoordination.open(dbA, false);
        Coordination cb = PostgresCoordination.open(dbB, false)) {
      Storage a = PostgresStorage.of(dbA);
      Storage b = PostgresStorage.of(dbB);
      ClusterPasses nodeA = new ClusterPasses(ca, a.memories(), clock);
      ClusterPasses nodeB = new ClusterPasses(cb, b.memories(), clock);
      AtomicInteger runs = new AtomicInteger();
      Duration hour = Duration.ofHours(1);
      assertTrue(nodeA.runDue("hourly", hour, runs::incrementAndGet));
      clock.advance(Duration.ofMinutes(20)); // node B's timer fires 20 minutes later
      assertFalse(nodeB.runDue("hourly", hour, runs::incrementAndGet), "A ran it this hour");
      clock.advance(Duration.ofMinutes(41));
      assertTrue(nodeB.runDue("hourly", hour, runs::incrementAndGet), "due again");
      assertFalse(nodeA.runDue("hourly", hour, runs::incrementAndGet));
      assertEquals(2, runs.get());
    }
  }

  @Test
  void aStoreOfItsOwnRunsItWheneverAsked() {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (Storage s = SqliteStorage.open(home)) {
      ClusterPasses passes = new ClusterPasses(Coordination.local(), s.memories(), clock);
      AtomicInteger runs = new AtomicInteger();
      assertTrue(passes.runDue("hourly", Duration.ofHours(1), runs::incrementAndGet));
      assertTrue(passes.runDue("hourly", Duration.ofHours(1), runs::incrementAndGet));
      assertEquals(2, runs.get());
    }
  }
}
