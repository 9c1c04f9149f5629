package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real server whose store is a real PostgreSQL: HikariCP's own pool meters
 * (through its Micrometer binding) beside the index lag and the ingest queue depth.
 */
class PostgresMetricsHttpTest {
  @TempDir Path home;

  @Test
  void thePoolTheIndexLagAndTheIngestQueueAreScraped() throws Exception {
    String url = PostgresCluster.shared().newDatabase("metrics");
    try (HttpFixture http = HttpFixture.startOnDatabase(home, url)) {
      HttpFixture.Tenant t = http.newTenant("ops");
      String id = http.create(t.key(), "Pool metrics come from HikariCP").path("id").asText();
      for (int i = 0; i < 3; i++) {
        http.get("/v1/memories/" + id, t.key()).expect(200);
      }
      String text = http.get("/metrics", null).body();
      String pool = "{pool=\"omem-postgres\"}";
      assertEquals(10.0, value(text, "hikaricp_connections_max" + pool), text);
      assertTrue(value(text, "hikaricp_connections_active" + pool) >= 0, text);
      assertTrue(value(text, "hikaricp_connections_idle" + pool) >= 0, text);
      assertEquals(0.0, value(text, "hikaricp_connections_pending" + pool), text);
      assertTrue(
          value(text, "hikaricp_connections_acquire_seconds_count" + pool) >= 4,
          "every request borrowed a connection: " + text);
      assertEquals(0.0, value(text, "hikaricp_connections_timeout_total" + pool), text);
      assertEquals(0.0, value(text, "omem_index_lag"), text);
      assertEquals(0.0, value(text, "omem_ingest_queue_depth"), text);
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
