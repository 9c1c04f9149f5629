package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready} of a real server on a real PostgreSQL says when the database stops answering: the
 * database refuses connections and the pool's are cut, as when PostgreSQL goes down under a node,
 * then comes back. A load balancer takes the node out on the 503 and back on the 200.
 */
class PostgresReadyHttpTest {
  @TempDir Path home;

  @Test
  void readyIsUnavailableWhileTheDatabaseDoesNotAnswerAndReadyAgainAfter() throws Exception {
    PostgresCluster cluster = PostgresCluster.shared();
    String url = cluster.newDatabase("ready");
    String db = PostgresCluster.databaseOf(url);
    try (HttpFixture http = HttpFixture.startOnDatabase(home, url)) {
      assertEquals("ready", http.get("/ready", null).expect(200).path("status").asText());
      try (Connection admin = cluster.connect("postgres");
          Statement st = admin.createStatement()) {
        st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
        try {
          http.get("/ready", null).expectError(503, "unavailable");
          http.get("/health", null).expect(200); // alive: the process itself is fine
        } finally {
          st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
        }
      }
      assertEquals("ready", http.get("/ready", null).expect(200).path("status").asText());
    }
  }
}
