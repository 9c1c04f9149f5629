package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import dev.omem.service.UpdateRequest;
import dev.omem.store.sqlite.StoreBackup;
import dev.omem.testing.PostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem backup --database} and {@code omem restore --database} on a real PostgreSQL: the
 * backup is the SQLite backup file, so it restores into a fresh database with every row alike and
 * the same search, and into a SQLite home; a SQLite backup restores into PostgreSQL; a restore
 * under running nodes makes them serve the restored rows; bad input changes nothing.
 */
class PostgresBackupRestoreTest {
  @TempDir static Path dir;

  /** Every table of data (not the change log, whose entries a restore adds, nor meta). */
  private static final List<String> TABLES =
      List.of(
          "memories",
          "memory_history",
          "tenants",
          "api_keys",
          "spaces",
          "space_members",
          "space_invitations",
          "auto_share_rules",
          "hook_offsets",
          "hook_injections",
          "imports",
          "import_items");

  private static final List<String> QUERIES =
      List.of("which database does staging use", "when are releases cut", "deploy credentials");

  private static String url;
  private static LocalMemoryService node;
  private static final Map<String, Caller> CALLERS = new LinkedHashMap<>();
  private static String forgotten;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  static void seed() {
    url = PostgresCluster.shared().newDatabase("backup_src");
    node = open(dir.resolve("node-a"), url);
    Tenants.NewTenant a = node.tenants().create("alice");
    Tenants.NewTenant b = node.tenants().create("bob");
    Caller alice = new Caller(a.id(), "github.com/acme/alpha", "claude-code", "s-1");
    Caller bob = new Caller(b.id(), "github.com/acme/beta", "codex", "s-2");
    CALLERS.put("alice", alice);
    CALLERS.put("bob", bob);
    CALLERS.put("local", Caller.local("github.com/acme/alpha"));
    node.tenants().keys().create(alice, "ci");
    var team =
        node.createSpace(
            alice,
            new SpaceRequest(
                "platform", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "member"))));
    node.acceptInvitation(bob, node.invitations(bob).get(0).id());
    List<Memory> mine = new ArrayList<>();
    for (String f :
        List.of(
            "The staging database is Postgres 15 on db-staging.internal",
            "Releases are cut from the release branch every Thursday",
            "Deploy credentials are kept in Vault under secret/deploy",
            "Feature flags live in LaunchDarkly")) {
      mine.add(node.store(alice, StoreRequest.of(f)));
    }
    node.store(bob, StoreRequest.of("Bob's service talks to Redis 7 in staging"));
    node.store(CALLERS.get("local"), StoreRequest.of("Locally the database is SQLite"));
    node.share(alice, mine.get(0).id(), team.id(), "for the team");
    node.update(
        alice,
        new UpdateRequest(
            mine.get(1).id(),
            "Releases are cut from the release branch every Wednesday",
            null,
            null,
            null,
            null,
            null));
    node.forget(alice, mine.get(3).id());
    forgotten = mine.get(3).id();
    node.hookSessions().saveOffset(alice, "s-1", "/tmp/transcript.jsonl", 4096);
  }

  @AfterAll
  static void close() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aBackupRestoresIntoAFreshDatabaseWithEveryRowAndTheSameSearch() throws Exception {
    Path file = dir.resolve("pg-backup.db");
    Run b = omem("backup", file.toString(), "--database", url, "--home", home("b1"));
    assertEquals(0, b.code(), b.err());
    assertTrue(StoreBackup.verify(file) > 0, "the backup is a store file SQLite backups are");
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    String fresh = PostgresCluster.shared().newDatabase("backup_dst");
    Run r = omem("restore", file.toString(), "--database", fresh, "--home", home("r1"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Restored " + count(pg(url), "memories") + " memories"), r.out());
    for (String t : TABLES) {
      assertEquals(rows(pg(url), t), rows(pg(fresh), t), t + " restored row for row");
    }
    assertTrue(count(pg(url), "memory_history") > count(pg(url), "memories"), "history covered");
    assertTrue(count(pg(url), "api_keys") > 0 && count(pg(url), "space_members") > 0);
    try (LocalMemoryService other = open(dir.resolve("node-fresh"), fresh)) {
      awaitCaughtUp(other, node);
      for (Map.Entry<String, Caller> c : CALLERS.entrySet()) {
        for (String q : QUERIES) {
          assertEquals(ids(node, c.getValue(), q), ids(other, c.getValue(), q), c.getKey() + q);
        }
      }
      // The restored store takes writes: its counters continue after the restored rows.
      Memory m = other.store(CALLERS.get("alice"), StoreRequest.of("The staging cache is Valkey"));
      assertEquals(m.id(), ids(other, CALLERS.get("alice"), "staging cache Valkey").get(0));
    }
  }

  @Test
  void aPostgresBackupRestoresIntoSqliteAndASqliteBackupIntoPostgres() throws Exception {
    Path file = dir.resolve("pg-to-sqlite.db");
    assertEquals(0, omem("backup", file.toString(), "--database", url, "--home", home("b2")).code);
    Path sqliteHome = dir.resolve("sqlite-home");
    Run r = omem("restore", file.toString(), "--home", sqliteHome.toString());
    assertEquals(0, r.code(), r.err());
    for (String t : TABLES) {
      assertEquals(rows(pg(url), t), rows(sqlite(sqliteHome), t), t + " in the SQLite home");
    }
    Path back = dir.resolve("sqlite-to-pg.db");
    Run sb = omem("backup", back.toString(), "--home", sqliteHome.toString());
    assertEquals(0, sb.code(), sb.err());
    String again = PostgresCluster.shared().newDatabase("backup_from_sqlite");
    Run rr = omem("restore", back.toString(), "--database", again, "--home", home("r2"));
    assertEquals(0, rr.code(), rr.err());
    for (String t : TABLES) {
      assertEquals(rows(pg(url), t), rows(pg(again), t), t + " after PG -> SQLite -> PG");
    }
  }

  @Test
  void aRestoreUnderRunningNodesMakesThemServeTheRestoredRows() throws Exception {
    String live = PostgresCluster.shared().newDatabase("backup_live");
    Path file = dir.resolve("live.db");
    assertEquals(0, omem("backup", file.toString(), "--database", url, "--home", home("b3")).code);
    assertEquals(
        0, omem("restore", file.toString(), "--database", live, "--home", home("r3")).code);
    try (LocalMemoryService one = open(dir.resolve("live-1"), live);
        LocalMemoryService two = open(dir.resolve("live-2"), live)) {
      Caller alice = CALLERS.get("alice");
      String later =
          one.store(alice, StoreRequest.of("Written after the backup: the zebra queue")).id();
      one.forget(alice, ids(one, alice, "which database does staging use").get(0));
      await(() -> ids(two, alice, "zebra queue").contains(later), "node two sees the new write");
      long before = count(pg(live), "memories");

      // Writes go on through node one during the restore: they wait for it rather than fail,
      // and every write started after it returned is kept.
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicReference<Throwable> failed =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicLong restoredAt =
          new java.util.concurrent.atomic.AtomicLong();
      List<String> startedAfter = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    boolean after = restoredAt.get() != 0;
                    String id =
                        one.store(alice, StoreRequest.of("Canary " + i + " of the restore drill"))
                            .id();
                    if (after) {
                      startedAfter.add(id);
                    }
                  }
                } catch (Throwable t) {
                  failed.set(t);
                }
              });
      writer.start();
      Run r = omem("restore", file.toString(), "--database", live, "--home", home("r4"));
      restoredAt.set(System.nanoTime());
      await(() -> startedAfter.size() >= 2 || failed.get() != null, "writes after the restore");
      stop.set(true);
      writer.join();
      assertEquals(null, failed.get(), "no write failed during the restore");
      assertEquals(0, r.code(), r.err());
      for (String id : startedAfter) {
        assertEquals(id, one.get(alice, id).id(), "a write after the restore is kept");
      }
      List<String> kept = new ArrayList<>();
      try (Connection c = pg(live);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM memories WHERE content LIKE 'Canary %'")) {
        while (rs.next()) {
          kept.add(rs.getString(1));
        }
      }
      assertTrue(kept.containsAll(startedAfter));
      assertEquals(
          before - 1 + kept.size(), count(pg(live), "memories"), "the later write is gone");
      long expected = ((Number) node.health().get("index_documents")).longValue() + kept.size();
      for (LocalMemoryService n : List.of(one, two)) {
        await(() -> !ids(n, alice, "zebra queue").contains(later), "the later write leaves");
        await(
            () -> ((Number) n.health().get("index_documents")).longValue() == expected,
            "each node's index holds the restored rows and the later canaries only");
        assertThrows(OmemException.class, () -> n.get(alice, later));
        for (String q : QUERIES) {
          // As sets: the canaries change the words' statistics, and so near ties' order.
          java.util.Set<String> got = new java.util.HashSet<>(ids(n, alice, q, 100));
          got.removeAll(kept);
          assertEquals(new java.util.HashSet<>(ids(node, alice, q, 100)), got, q);
        }
      }
      // What the database held before the restore was kept as a backup.
      assertTrue(r.out().contains("kept in"), r.out());
      assertEquals(1, Files.list(dir.resolve("r4").resolve("backups")).count());
    }
  }

  @Test
  void badInputFailsInOneLineAndDamagesNothing() throws Exception {
    String target = PostgresCluster.shared().newDatabase("backup_bad");
    Path good = dir.resolve("good.db");
    assertEquals(0, omem("backup", good.toString(), "--database", url, "--home", home("b5")).code);
    assertEquals(
        0, omem("restore", good.toString(), "--database", target, "--home", home("r5")).code);
    Map<String, List<String>> before = new LinkedHashMap<>();
    for (String t : TABLES) {
      before.put(t, rows(pg(target), t));
    }

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a backup at all\n");
    assertOneLine(
        omem("restore", text.toString(), "--database", target, "--home", home("r6")),
        "not an omem backup");
    Path cut = dir.resolve("cut.db");
    byte[] whole = Files.readAllBytes(good);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertOneLine(omem("restore", cut.toString(), "--database", target, "--home", home("r6")), "");
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String down = "postgresql://postgres:hunter2@127.0.0.1:" + closed + "/omem";
    Run unreachable = omem("restore", good.toString(), "--database", down, "--home", home("r6"));
    assertOneLine(unreachable, "cannot connect");
    assertFalse(unreachable.err().contains("hunter2"), unreachable.err());
    assertOneLine(
        omem("restore", good.toString(), "--database", "mysql://db/x", "--home", home("r6")),
        "not a PostgreSQL URL");
    assertOneLine(
        omem("backup", dir.resolve("x.db").toString(), "--database", down, "--home", home("r6")),
        "cannot connect");
    assertOneLine(
        omem("backup", good.toString(), "--database", url, "--home", home("r6")), "already exists");

    for (String t : TABLES) {
      assertEquals(before.get(t), rows(pg(target), t), t + " untouched");
    }
    try (var left = Files.list(dir.resolve("r6"))) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "no leftovers");
    }
    assertFalse(Files.exists(dir.resolve("x.db")));
  }

  // ---- helpers ----

  private static String home(String name) throws Exception {
    Path h = dir.resolve(name);
    Files.createDirectories(h);
    return h.toString();
  }

  private static LocalMemoryService open(Path home, String db) {
    LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL).withDatabase(db));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  private static List<String> ids(LocalMemoryService s, Caller c, String q) {
    return ids(s, c, q, 10);
  }

  private static List<String> ids(LocalMemoryService s, Caller c, String q, int limit) {
    return s
        .search(c, SearchRequest.builder(q).limit(limit).minScore(0.0).countAccess(false).build())
        .results()
        .stream()
        .map(r -> r.memory().id())
        .toList();
  }

  private static void awaitCaughtUp(LocalMemoryService n, LocalMemoryService like)
      throws InterruptedException {
    await(
        () ->
            like.health().get("index_documents").equals(n.health().get("index_documents"))
                && ((Number) n.health().get("index_lag")).longValue() == 0,
        "the node's index caught up");
  }

  private static void await(BooleanSupplier ok, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (ok.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never: " + what);
  }

  private static Connection pg(String db) throws SQLException {
    return PostgresCluster.shared().connect(PostgresCluster.databaseOf(db));
  }

  private static Connection sqlite(Path home) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:file:" + home.resolve("omem.db") + "?mode=ro");
  }

  private static long count(Connection c, String table) throws SQLException {
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A table's rows, every column but PostgreSQL's stored_order, as sorted text; closes c. */
  private static List<String> rows(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
      }
      java.util.Collections.sort(names);
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (String n : names) {
          if (n.equals("stored_order")) {
            continue;
          }
          int i = rs.findColumn(n);
          int type = md.getColumnType(i);
          Object v = rs.getObject(i);
          String text =
              v == null
                  ? "null"
                  : v instanceof byte[] bytes
                      ? HexFormat.of().formatHex(bytes)
                      : type == Types.DOUBLE || type == Types.REAL || v instanceof Double
                          ? Double.toString(rs.getDouble(i))
                          : rs.getString(i);
          row.append(n).append('=').append(text).append(' ');
        }
        out.add(row.toString());
      }
    }
    java.util.Collections.sort(out);
    return out;
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
