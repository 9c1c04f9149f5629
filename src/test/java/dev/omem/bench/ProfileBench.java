package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Profile;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Profile latency ({@code memory_profile}, {@code GET /v1/profile}) at a realistic store size. Not
 * a test: run it with {@code scripts/bench-profile}. Fills a temporary data dir through {@link
 * LocalMemoryService#storeAll} with {@code --memories} memories spread over {@value #SPREAD_DAYS}
 * days (so the 7-day window holds about a thirteenth of them), one in twenty restating an earlier
 * one, then times {@code --calls} profile calls and prints p50/p95/max and SQLite's plan for the
 * two queries.
 */
public final class ProfileBench {
  /** How far back the memories go: a quarter of a year of use. */
  private static final int SPREAD_DAYS = 90;

  private static final int FILL_BATCH = 256;
  private static final int WARM_UP = 20;

  /** A clock the fill moves forward, so that created_at spreads over the days. */
  static final class FillClock extends Clock {
    volatile Instant now;

    FillClock(Instant start) {
      now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final List<String> NAMES = List.of("Ana", "Bo", "Chidi", "Dana", "Eun", "Femi");
  private static final List<String> PLACES = List.of("Berlin", "Lagos", "Seoul", "Lima", "Oslo");
  private static final List<String> SERVICES =
      List.of("billing", "search", "auth", "ledger", "gateway", "export", "pricing", "catalog");
  private static final List<String> TECH =
      List.of("Postgres 16", "Kafka", "Redis", "gRPC", "Temporal", "ClickHouse", "S3");

  public static void main(String[] args) throws Exception {
    int memories = 10_000;
    int calls = 200;
    boolean model = true;
    boolean tryIndex = false;
    for (String a : args) {
      if (a.startsWith("--memories=")) {
        memories = Integer.parseInt(a.substring(11).replace("k", "000"));
      } else if (a.startsWith("--calls=")) {
        calls = Integer.parseInt(a.substring(8));
      } else if (a.equals("--no-model")) {
        model = false;
      } else if (a.equals("--try-index")) {
        tryIndex = true;
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, java "
            + System.getProperty("java.version"));
    Path home = Files.createTempDirectory("omem-bench-profile");
    Instant end = Instant.now();
    FillClock clock = new FillClock(end.minus(Duration.ofDays(SPREAD_DAYS)));
    Caller caller = Caller.local("github.com/bench/profile");
    // The float32 model is not on the class path: with --no-model nothing loads, rows carry no
    // vector. The default fills with vectors, as a real store has them.
    String modelId = model ? OmemConfig.DEFAULT_MODEL : "bge-small-en-v1.5";
    try (LocalMemoryService svc = LocalMemoryService.open(new OmemConfig(home, modelId), clock)) {
      if (model && !svc.awaitModel(Duration.ofMinutes(2))) {
        throw new IllegalStateException("model did not load");
      }
      long t0 = System.nanoTime();
      fill(svc, caller, clock, memories, end);
      System.out.printf(
          Locale.ROOT,
          "filled %,d memories (%s) in %.1f s%n",
          memories,
          model ? "with vectors" : "without vectors",
          (System.nanoTime() - t0) / 1e9);
      clock.now = end;
      Profile p = svc.profile(caller);
      System.out.println(
          "profile: "
              + p.staticFacts().size()
              + " static facts, "
              + p.dynamicContext().size()
              + " recent items; first: "
              + (p.staticFacts().isEmpty() ? "-" : p.staticFacts().get(0)));
      time(svc, caller, calls, "profile latency");
      plans(home.resolve("omem.db"), end);
      if (tryIndex) {
        // The index proposed for the store's next migration, created here only to measure it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db"));
            Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout=10000");
          s.execute(PROPOSED_INDEX);
        }
        System.out.println("created: " + PROPOSED_INDEX);
        time(svc, caller, calls, "profile latency with it");
        plans(home.resolve("omem.db"), end);
      }
    }
  }

  /** With {@code --try-index}: the index the profile's stable-facts query would use. */
  static final String PROPOSED_INDEX =
      "CREATE INDEX IF NOT EXISTS memories_tenant_state_category"
          + " ON memories(tenant_id, state, category, importance)";

  private static void time(LocalMemoryService svc, Caller caller, int calls, String label) {
    for (int i = 0; i < WARM_UP; i++) {
      svc.profile(caller);
    }
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      long s = System.nanoTime();
      svc.profile(caller);
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    System.out.printf(
        Locale.ROOT,
        "%s over %d calls: p50 %.2f ms, p95 %.2f ms, max %.2f ms%n",
        label,
        calls,
        LatencyBench.pct(ms, 50),
        LatencyBench.pct(ms, 95),
        max(ms));
  }

  private static void fill(
      LocalMemoryService svc, Caller caller, FillClock clock, int n, Instant end) {
    SyntheticMemories gen = new SyntheticMemories(11);
    Random rnd = new Random(5);
    List<String> said = new ArrayList<>();
    Duration step = Duration.ofDays(SPREAD_DAYS).dividedBy(Math.max(1, n / FILL_BATCH));
    int stored = 0;
    while (stored < n) {
      int size = Math.min(FILL_BATCH, n - stored);
      List<StoreRequest> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(next(gen, rnd, said));
      }
      svc.storeAll(caller, batch);
      stored += size;
      clock.now = clock.now.plus(step);
      if (clock.now.isAfter(end)) {
        clock.now = end;
      }
    }
  }

  /**
   * One memory: mostly the load benchmarks' mix (facts about services, conventions, bugs, "I
   * prefer" statements, classified by the store), plus profile facts and events with their category
   * set, and one in twenty restating an earlier one with a word more (a near-duplicate).
   */
  private static StoreRequest next(SyntheticMemories gen, Random rnd, List<String> said) {
    int kind = rnd.nextInt(20);
    if (kind == 0 && !said.isEmpty()) {
      String again = said.get(rnd.nextInt(said.size()));
      String restated =
          Character.isUpperCase(again.charAt(0))
              ? "And " + again.substring(0, 1).toLowerCase(Locale.ROOT) + again.substring(1)
              : again + ", again";
      return new StoreRequest(restated, null, null, null, null, rnd.nextDouble());
    }
    String text;
    String category = null;
    String service = pick(rnd, SERVICES);
    if (kind == 1) {
      text =
          switch (rnd.nextInt(3)) {
            case 0 -> "My name is " + pick(rnd, NAMES) + " and I work on the " + service + " team";
            case 1 -> "I'm a backend engineer; most of my work is in the " + service + " service";
            default -> "I'm based in " + pick(rnd, PLACES) + ", so schedule things in my morning";
          };
      category = "profile";
    } else if (kind <= 3) {
      text =
          switch (rnd.nextInt(3)) {
            case 0 ->
                "Released version "
                    + rnd.nextInt(5)
                    + "."
                    + rnd.nextInt(20)
                    + " of the "
                    + service
                    + " service to production";
            case 1 ->
                "Had an incident in "
                    + service
                    + ": the "
                    + pick(rnd, TECH)
                    + " queue backed up for "
                    + (5 + rnd.nextInt(60))
                    + " minutes";
            default -> "Started the migration of " + service + " to " + pick(rnd, TECH);
          };
      category = "events";
    } else {
      text = gen.memory();
    }
    said.add(text);
    return new StoreRequest(text, null, null, category, null, rnd.nextDouble());
  }

  private static String pick(Random rnd, List<String> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  private static double max(double[] xs) {
    double m = 0;
    for (double x : xs) {
      m = Math.max(m, x);
    }
    return m;
  }

  /**
   * SQLite's plan for the profile's two list queries, written out as {@code MemoryRepository.list}
   * builds them (one COUNT and one page query each).
   */
  private static void plans(Path db, Instant end) throws Exception {
    String stable =
        "FROM memories WHERE tenant_id='x' AND state IN ('active') AND scope IN ('global',"
            + " 'project:x') AND category IN ('profile','preferences')";
    String recent =
        "FROM memories WHERE tenant_id='x' AND state IN ('active') AND scope IN ('global',"
            + " 'project:x') AND category IN ('events','cases','patterns') AND created_at>="
            + end.minus(Duration.ofDays(7)).toEpochMilli();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String q :
          List.of(
              "SELECT COUNT(*) " + stable,
              "SELECT * " + stable + " ORDER BY importance DESC, id LIMIT 200",
              "SELECT COUNT(*) " + recent,
              "SELECT * " + recent + " ORDER BY created_at DESC, id LIMIT 200")) {
        System.out.println(
            "plan: " + q.replaceAll("FROM memories WHERE .*? AND category", "… category"));
        try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + q)) {
          while (rs.next()) {
            System.out.println("    " + rs.getString("detail"));
          }
        }
      }
    }
  }
}
