package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.Space;
import dev.omem.service.Caller;
import dev.omem.service.IngestRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import dev.omem.service.UpdateRequest;
import dev.omem.testing.PostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem migrate} with a real PostgreSQL and the real model: a store of two tenants, the local
 * tenant, a team space with a shared copy, an invitation, history, an ingest task and hook state is
 * copied; a node on the target (the service {@code omem serve --database} runs) finds the same
 * memories in the same order for every caller and query; bad inputs fail in one line and change
 * neither side; a failure midway leaves the target empty.
 */
class MigrateCommandTest {
  @TempDir static Path dir;
  private static Path source;
  private static final List<String> QUERIES =
      List.of(
          "which database do we run in staging",
          "how are releases made",
          "code formatting preferences",
          "where do the deploy credentials live",
          "what does the CI pipeline run",
          "on-call rotation");
  private static final Map<String, Caller> CALLERS = new LinkedHashMap<>();
  private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();
  private static Object expectedDocuments;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  static void buildTheSource() throws Exception {
    PostgresCluster.shared(); // skips the class without PostgreSQL, before the model loads
    source = dir.resolve("source");
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(source, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
      Tenants.NewTenant a = s.tenants().create("alice");
      Tenants.NewTenant b = s.tenants().create("bob");
      Caller alice = new Caller(a.id(), "github.com/acme/alpha", "claude-code", "s-1");
      Caller bob = new Caller(b.id(), "github.com/acme/beta", "codex", "s-2");
      Caller local = Caller.local("github.com/acme/alpha");
      CALLERS.put("alice", alice);
      CALLERS.put("bob", bob);
      CALLERS.put("local", local);
      s.tenants().keys().create(alice, "ci");
      Space team =
          s.createSpace(
              alice,
              new SpaceRequest(
                  "platform", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "member"))));
      s.acceptInvitation(bob, s.invitations(bob).get(0).id());
      s.createSpace(
          alice,
          new SpaceRequest(
              "ops", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "reader"))));
      List<Memory> mine = new ArrayList<>();
      for (String f :
          List.of(
              "The staging database is Postgres 15 on db-staging.internal",
              "Releases are cut from the release branch every Thursday",
              "The team prefers tabs over spaces and a 100 column limit",
              "Deploy credentials are kept in Vault under secret/deploy",
              "CI runs unit tests, spotless and the integration suite",
              "The on-call rotation changes every Monday at 10:00",
              "Feature flags live in LaunchDarkly")) {
        mine.add(s.store(alice, StoreRequest.of(f)));
      }
      for (String f :
          List.of(
              "Bob's service talks to Redis 7 in staging",
              "Bob releases the mobile app through the Play Store beta track",
              "CI for the mobile app runs on GitHub Actions")) {
        s.store(bob, StoreRequest.of(f));
      }
      for (String f :
          List.of(
              "Locally the database is SQLite in ~/.omem",
              "Format Java with google-java-format before every commit")) {
        s.store(local, StoreRequest.of(f));
      }
      s.share(alice, mine.get(0).id(), team.id(), "for the team");
      s.share(alice, mine.get(3).id(), team.id(), null);
      s.update(
          alice,
          new UpdateRequest(
              mine.get(1).id(),
              "Releases are cut from the release branch every Wednesday",
              null,
              null,
              null,
              null,
              null));
      s.forget(alice, mine.get(6).id());
      String task =
          s.ingest(
                  bob,
                  new IngestRequest(
                      List.of(
                          new IngestRequest.Message(
                              "user", "Remember that our Kafka cluster runs three brokers")),
                      "smart"))
              .taskId();
      s.awaitTask(bob, task, Duration.ofSeconds(60));
      s.hookSessions().saveOffset(alice, "s-1", "/tmp/transcript.jsonl", 4096);
      s.hookSessions().markInjected(alice, "s-1", List.of(mine.get(0).id()));
      for (Map.Entry<String, Caller> c : CALLERS.entrySet()) {
        for (String q : QUERIES) {
          EXPECTED.put(c.getKey() + ": " + q, ids(s, c.getValue(), q));
        }
      }
      expectedDocuments = s.health().get("index_documents");
    }
  }

  @Test
  void everythingIsCopiedAndANodeOnTheTargetSearchesAlike() throws Exception {
    String url = PostgresCluster.shared().newDatabase("migrate");
    String before = digest(source.resolve("omem.db"));
    Run r = omem("migrate", "--from", source.toString(), "--to", url);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Every table's count matches"), r.out());
    Map<String, Long> from = counts(sqlite(), true);
    Map<String, Long> to = counts(postgres(url), false);
    for (Map.Entry<String, Long> e : from.entrySet()) {
      assertEquals(e.getValue(), to.get(e.getKey()), e.getKey());
      assertTrue(
          r.out()
                  .contains(
                      String.format("%-20s %,10d %,10d", e.getKey(), e.getValue(), e.getValue()))
              || e.getKey().equals("meta"),
          r.out());
    }
    for (String t :
        List.of(
            "memories",
            "memory_history",
            "tenants",
            "api_keys",
            "spaces",
            "space_members",
            "space_invitations",
            "ingest_tasks",
            "session_turns",
            "hook_offsets",
            "hook_injections")) {
      assertTrue(from.get(t) > 0, t + " holds rows in the source: the test covers it");
    }
    assertEquals(before, digest(source.resolve("omem.db")), "the source file is unchanged");
    assertEquals(
        scalar(sqlite(), "SELECT COUNT(*) FROM memories WHERE embedding IS NOT NULL"),
        scalar(postgres(url), "SELECT COUNT(*) FROM memories WHERE embedding IS NOT NULL"),
        "every vector came along");

    try (LocalMemoryService node =
        LocalMemoryService.open(
            new OmemConfig(dir.resolve("node"), OmemConfig.DEFAULT_MODEL).withDatabase(url))) {
      assertTrue(node.awaitModel(Duration.ofSeconds(120)));
      awaitIndex(node);
      assertEquals(expectedDocuments, node.health().get("index_documents"));
      for (Map.Entry<String, Caller> c : CALLERS.entrySet()) {
        for (String q : QUERIES) {
          String key = c.getKey() + ": " + q;
          assertEquals(EXPECTED.get(key), ids(node, c.getValue(), q), key);
        }
      }
      // New writes continue the copied sequences: no id, seq or stored order collides.
      Caller alice = CALLERS.get("alice");
      Memory m = node.store(alice, StoreRequest.of("The staging cache is Memcached 1.6"));
      node.update(
          alice,
          new UpdateRequest(m.id(), "The staging cache is Valkey 8", null, null, null, null, null));
      assertEquals(2, node.history(alice, m.id()).size());
      assertEquals(m.id(), ids(node, alice, "staging cache").get(0));
    }
  }

  @Test
  void aTargetHoldingDataIsRefusedUnlessReplaceIsGiven() throws Exception {
    String url = PostgresCluster.shared().newDatabase("migrate-twice");
    assertEquals(0, omem("migrate", "--from", source.toString(), "--to", url).code());
    long memories = scalar(postgres(url), "SELECT COUNT(*) FROM memories");
    Run again = omem("migrate", "--from", source.toString(), "--to", url);
    assertOneLine(again, "already holds omem data");
    assertTrue(again.err().contains("--replace"), again.err());
    assertEquals(memories, scalar(postgres(url), "SELECT COUNT(*) FROM memories"));

    Run replaced = omem("migrate", "--from", source.toString(), "--to", url, "--replace");
    assertEquals(0, replaced.code(), replaced.err());
    assertEquals(counts(sqlite(), true), counts(postgres(url), false), "replaced, not doubled");
  }

  @Test
  void badInputsFailInOneLineAndTouchNeitherSide() throws Exception {
    String url = PostgresCluster.shared().newDatabase("migrate-bad");
    String before = digest(source.resolve("omem.db"));
    Path missing = dir.resolve("no-such-home");
    assertOneLine(omem("migrate", "--from", missing.toString(), "--to", url), "no omem store");
    assertFalse(Files.exists(missing), "a missing home is not created");
    assertEquals(0, tables(url), "the target was not even migrated");

    Run wrong = omem("migrate", "--from", source.toString(), "--to", "mysql://me:hunter2@db/x");
    assertOneLine(wrong, "not a PostgreSQL URL");
    assertFalse(wrong.err().contains("hunter2"), wrong.err());

    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run down =
        omem(
            "migrate",
            "--from",
            source.toString(),
            "--to",
            "postgresql://postgres:hunter2@127.0.0.1:" + closed + "/omem");
    assertOneLine(down, "cannot connect");
    assertFalse(down.err().contains("hunter2"), down.err());
    assertEquals(before, digest(source.resolve("omem.db")), "the source file is unchanged");
  }

  @Test
  void aFailureMidwayLeavesTheTargetAsItWas() throws Exception {
    // A copy of the source whose history holds a NUL: PostgreSQL refuses it after the memories
    // (copied before memory_history) were already inserted.
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.copy(source.resolve("omem.db"), broken.resolve("omem.db"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + broken.resolve("omem.db"));
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE memory_history SET note = 'a' || char(0) || 'b'"
              + " WHERE seq = (SELECT MAX(seq) FROM memory_history)");
    }
    String url = PostgresCluster.shared().newDatabase("migrate-midway");
    Run r = omem("migrate", "--from", broken.toString(), "--to", url);
    assertOneLine(r, "memory_history");
    assertTrue(r.err().contains("left as it was"), r.err());
    Map<String, Long> left = counts(postgres(url), false);
    for (Map.Entry<String, Long> e : left.entrySet()) {
      assertEquals(0L, e.getValue(), e.getKey() + " rolled back");
    }
    assertEquals(0L, scalar(postgres(url), "SELECT last FROM change_counter"));
    // Fixed, the same command simply runs again.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + broken.resolve("omem.db"));
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE memory_history SET note = NULL WHERE seq = (SELECT MAX(seq) FROM memory_history)");
    }
    Run again = omem("migrate", "--from", broken.toString(), "--to", url);
    assertEquals(0, again.code(), again.err());
  }

  private static List<String> ids(LocalMemoryService s, Caller c, String q) {
    return s
        .search(c, SearchRequest.builder(q).limit(10).minScore(0.0).countAccess(false).build())
        .results()
        .stream()
        .map(r -> r.memory().id())
        .toList();
  }

  private static void awaitIndex(LocalMemoryService node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> h = node.health();
      if (expectedDocuments.equals(h.get("index_documents"))
          && Long.valueOf(0).equals(((Number) h.get("index_lag")).longValue())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node's index never caught up: " + node.health());
  }

  private static Connection sqlite() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:sqlite:file:" + source.resolve("omem.db") + "?mode=ro");
  }

  private static Connection postgres(String url) throws SQLException {
    return PostgresCluster.shared().connect(PostgresCluster.databaseOf(url));
  }

  /** Rows per table of the source's schema (meta without the home's own keys); closes {@code c}. */
  private static Map<String, Long> counts(Connection c, boolean isSqlite) throws SQLException {
    try (c) {
      List<String> tables = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  isSqlite
                      ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                          + " AND name NOT LIKE 'sqlite_%'"
                      : "SELECT table_name FROM information_schema.tables"
                          + " WHERE table_schema = current_schema()"
                          + " AND table_name NOT IN ('omem_schema', 'change_counter')")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      Map<String, Long> out = new java.util.TreeMap<>();
      for (String t : tables) {
        String where = t.equals("meta") ? " WHERE key NOT IN ('home_id', 'home_path')" : "";
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t + where)) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
      return out;
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long tables(String url) throws SQLException {
    return scalar(
        postgres(url),
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()");
  }

  private static String digest(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertOneLine(Run r, String expected) {
    assertNotEquals(0, r.code(), r.out());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("omem: ") && err.contains(expected), err);
  }

  private static Run omem(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
