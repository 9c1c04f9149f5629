package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.testing.PostgresCluster;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers (nodes) on one real PostgreSQL: a write taken by node A moves node B's {@code
 * omem_index_replication_lag_seconds} (one sample, a plausible time, the memory searchable on B),
 * and not A's own: a node measures only the writes other nodes made.
 */
class ReplicationLagMetricsTest {
  private static final String LAG = "omem_index_replication_lag_seconds";

  @TempDir Path homeA;
  @TempDir Path homeB;

  @Test
  void aWriteOnOneNodeMovesTheOtherNodesReplicationLagAndNotItsOwn() throws Exception {
    String url = PostgresCluster.shared().newDatabase("replag");
    try (HttpFixture a = HttpFixture.startOnDatabase(homeA, url);
        HttpFixture b = HttpFixture.startOnDatabase(homeB, url)) {
      assertEquals(0.0, value(b.get("/metrics", null).body(), LAG + "_count"));
      HttpFixture.Tenant t = a.newTenant("lag");
      String word = "zyqvexlag";
      long before = System.currentTimeMillis();
      JsonNode stored = a.create(t.key(), "The deploy key for " + word + " rotates monthly");

      String text = b.get("/metrics", null).body();
      long deadline = System.currentTimeMillis() + 20_000;
      while (value(text, LAG + "_count") < 1 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        text = b.get("/metrics", null).body();
      }
      long waited = System.currentTimeMillis() - before;
      // A's write is one memory row (the tenant's own rows are not in the change log).
      assertEquals(1.0, value(text, LAG + "_count"), text);
      double seconds = value(text, LAG + "_sum");
      assertTrue(
          seconds >= 0 && seconds * 1000 <= waited + 50,
          "the lag (" + seconds + " s) lies within the " + waited + " ms B took to show it");
      assertTrue(value(text, LAG + "_bucket{le=\"30.0\"}") == 1.0, text);
      assertEquals(0.0, value(text, "omem_index_lag"), text);
      // Searchable on B by the time the sample was taken.
      JsonNode found =
          b.get("/v1/memories/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8), t.key())
              .expect(200);
      assertEquals(
          stored.path("id").asText(),
          found.path("results").path(0).path("memory").path("id").asText(),
          "" + found);

      // A wrote it and caught up itself: its own write is no replication lag.
      assertEquals(0.0, value(a.get("/metrics", null).body(), LAG + "_count"));
    }
  }

  /** The sample's value on the line that starts with {@code series}; fails when absent. */
  private static double value(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([-0-9.eE+NaInf]+)$").matcher(text);
    assertTrue(m.find(), "no " + series + " in:\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
