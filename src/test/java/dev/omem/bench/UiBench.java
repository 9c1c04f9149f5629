package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.Caller;
import dev.omem.service.ListRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import dev.omem.ui.UiServlet;
import dev.omem.ui.UiUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The web UI's HTML answers at a realistic store size. Not a test: run it with {@code
 * scripts/bench-ui}. Fills a temporary store with {@code --memories} memories (with vectors),
 * serves it with the UI mounted as the daemon does, signs in through the one-time link, then times
 * {@code --calls} requests each of the Browse page (random pages, some filtered) and the Search
 * page (the load benchmarks' queries), whole HTML received, and prints p50/p95/max. Target: p95 ≤
 * 300 ms.
 */
public final class UiBench {
  private static final int FILL_BATCH = 256;
  private static final int WARM_UP = 20;

  public static void main(String[] args) throws Exception {
    int memories = 10_000;
    int calls = 200;
    Path reuse = null;
    for (String a : args) {
      if (a.startsWith("--home=")) {
        // A store a previous run filled (its path is printed): filling takes minutes.
        reuse = Path.of(a.substring(7));
        continue;
      }
      if (a.startsWith("--memories=")) {
        memories = Integer.parseInt(a.substring(11).replace("k", "000"));
      } else if (a.startsWith("--calls=")) {
        calls = Integer.parseInt(a.substring(8));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, java "
            + System.getProperty("java.version"));
    Path home = reuse != null ? reuse : Files.createTempDirectory("omem-bench-ui");
    System.out.println("store: " + home + " (again with --home=" + home + ")");
    Caller caller = Caller.local("github.com/bench/ui");
    String token = Tenants.newKey();
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      if (!svc.awaitModel(Duration.ofMinutes(2))) {
        throw new IllegalStateException("model did not load");
      }
      SyntheticMemories gen = new SyntheticMemories(7);
      long t0 = System.nanoTime();
      int have = (int) svc.list(caller, ListRequest.firstPage()).totalCount();
      for (int stored = have; stored < memories; stored += FILL_BATCH) {
        List<StoreRequest> batch = new ArrayList<>();
        for (int i = 0; i < Math.min(FILL_BATCH, memories - stored); i++) {
          batch.add(StoreRequest.of(gen.memory()));
        }
        svc.storeAll(caller, batch);
      }
      System.out.printf(
          Locale.ROOT, "filled %,d memories in %.1f s%n", memories, (System.nanoTime() - t0) / 1e9);
      UiServlet ui =
          new UiServlet(
              svc,
              key ->
                  Tenants.sameSecret(key, token)
                      ? Optional.of(new UiUser(null, "owner"))
                      : Optional.empty(),
              true,
              true);
      ServeSettings settings = ServeSettings.defaults("127.0.0.1", 0).withLocalToken(token);
      try (OmemHttpServer server =
          OmemHttpServer.start(
              svc,
              svc.tenants(),
              settings,
              "bench",
              new OmemHttpServer.Mounts(null, null, List.of(), ui))) {
        String base = "http://127.0.0.1:" + server.port();
        HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = signIn(http, base, token);
        Random rnd = new Random(3);
        List<String> browse = new ArrayList<>();
        List<String> search = new ArrayList<>();
        String[] filters = {"", "&category=preferences", "&sort=importance", "&state=active"};
        for (int i = 0; i < calls + WARM_UP; i++) {
          int offset = rnd.nextInt(Math.max(1, memories / 50)) * 50;
          browse.add("/ui/browse?offset=" + offset + filters[i % filters.length]);
          search.add("/ui/search?q=" + java.net.URLEncoder.encode(gen.query(), "UTF-8"));
        }
        time(http, base, cookie, browse, "browse HTML (50 a page, random pages)");
        time(http, base, cookie, search, "search HTML (20 results, trace)");
      }
    }
  }

  private static String signIn(HttpClient http, String base, String token) throws Exception {
    HttpResponse<String> link =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/ui/login-link"))
                .header("X-API-Key", token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String path = link.body().replaceAll(".*\"path\":\"([^\"]+)\".*", "$1").trim();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private static void time(
      HttpClient http, String base, String cookie, List<String> paths, String what)
      throws Exception {
    double[] ms = new double[paths.size() - WARM_UP];
    long bytes = 0;
    for (int i = 0; i < paths.size(); i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + paths.get(i)))
                  .header("Cookie", cookie)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(paths.get(i) + " answered " + r.statusCode());
      }
      if (i >= WARM_UP) {
        ms[i - WARM_UP] = (System.nanoTime() - t) / 1e6;
        bytes += r.body().length();
      }
    }
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d calls (%,d characters each on average)%n",
        what,
        ms[ms.length / 2],
        ms[(int) Math.ceil(ms.length * 0.95) - 1],
        ms[ms.length - 1],
        ms.length,
        bytes / ms.length);
  }
}
