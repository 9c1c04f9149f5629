package dev.omem.cli;

import dev.omem.config.BuildInfo;
import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.daemon.ClassDataArchive;
import dev.omem.daemon.DaemonFile;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.hooks.HookSettings;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.Operations;
import dev.omem.http.ServeSettings;
import dev.omem.mcp.McpHttpEndpoint;
import dev.omem.mcp.SamplingSetting;
import dev.omem.service.LocalAdministration;
import dev.omem.service.Tenants;
import dev.omem.store.postgres.PostgresUrl;
import dev.omem.ui.UiKeys;
import dev.omem.ui.UiServlet;
import dev.omem.ui.UiUser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code omem serve}: the REST API and MCP over HTTP on the local store. It also writes the daemon
 * file, so that stdio servers, hooks and the CLI on this machine go through it rather than fight
 * over the store's lock. With {@code --daemon} (how clients start it) it binds a random loopback
 * port and exits after a quiet period.
 *
 * <p>Over 400 lines because the team server and the daemon share one start-up: settings, store,
 * operations, hooks, MCP and the web UI are wired in the order they must start and stop.
 */
@Command(name = "serve", description = "Serve the REST API and MCP over HTTP.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  /**
   * A daemon nobody has called for 30 minutes exits; the next client starts it again (about a
   * second, the model loading behind it).
   */
  private static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

  /**
   * How often the server checks that its {@code daemon.json} is still there: a client that finds
   * none waits this long and more for it (DaemonLauncher.FILE_WAIT) before anything else.
   */
  private static final Duration FILE_CHECK = Duration.ofMillis(500);

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Address to bind (default: $OMEM_HOST, else 127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port (default: $OMEM_PORT, else 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--home", paramLabel = "DIR", description = "Data directory.")
  String home;

  @Option(
      names = "--open-signup",
      description = "Let anyone create a tenant, even when bound beyond loopback.")
  boolean openSignup;

  @Option(
      names = "--ourmem-only",
      description =
          "Answer as plain ourmem: omem's extension routes, headers and parameters off (also"
              + " OMEM_SERVE_EXTENSIONS=off).")
  boolean ourmemOnly;

  @Option(names = "--daemon", hidden = true, description = "Run as the per-user local daemon.")
  boolean daemon;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "Keep the store in PostgreSQL: postgresql://user:password@host:port/db (default:"
              + " $OMEM_DATABASE_URL, else SQLite in the data directory).")
  String database;

  /**
   * The calls that clients resend to a daemon restarted after a kill were answered within a second
   * of its port being announced, at load 15-20 on 2 cores (scripts/bench-recovery, the daemon's log
   * at OMEM_LOG_LEVEL=info); the model's load, about a CPU-second, waits for them.
   */
  private static final Duration MODEL_AFTER_ANNOUNCE = Duration.ofSeconds(1);

  /** How often the server (the daemon too) runs a lifecycle pass over its store by itself. */
  static final Duration DECAY_INTERVAL = Duration.ofHours(1);

  /**
   * Runs a lifecycle pass once at start and then every {@link #DECAY_INTERVAL}, on a daemon thread:
   * tiers move and expired memories are archived without anyone running {@code omem decay}; then
   * the upkeep pass ({@code service.Upkeep}).
   */
  private static void startDecayPasses(LocalAdministration service) {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-decay");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          // Once per cluster: of several nodes on one database, the one that gets the lock runs
          // the pass if no node ran it within the hour (less 5 minutes, so that the node whose
          // turn it is never misses by a few seconds); a store of its own always runs it.
          if (!service.oncePerCluster(
              "hourly-passes", DECAY_INTERVAL.minusMinutes(5), () -> hourlyPasses(service))) {
            LOG.info("decay and upkeep passes: another node runs them this round");
          }
        },
        0,
        DECAY_INTERVAL.toMinutes(),
        java.util.concurrent.TimeUnit.MINUTES);
  }

  private static void hourlyPasses(LocalAdministration service) {
    try {
      var r = service.decayAll();
      if (r.promoted() + r.demoted() + r.archived() > 0) {
        LOG.info(
            "decay pass: {} promoted, {} demoted, {} archived of {}",
            r.promoted(),
            r.demoted(),
            r.archived(),
            r.examined());
      }
    } catch (RuntimeException e) {
      LOG.warn("decay pass failed: {}", e.toString());
    }
    try {
      // Next to it, upkeep: a backup when the newest is a day old (so one at start), the
      // retention purge and free pages returned.
      var u = service.upkeep();
      if (u.backup() != null || u.purged() > 0) {
        LOG.info("upkeep: {}", u.toJson());
      }
    } catch (RuntimeException e) {
      LOG.warn("upkeep pass failed: {}", e.toString());
    }
  }

  @Override
  public Integer call() throws Exception {
    // The warm-up daemon that makes the daemon's start-up archive ends with the daemon it serves.
    McpCommand.exitWithParent(System.getenv(McpCommand.EXIT_WITH_PID));
    OmemConfig config = withDatabase(OmemConfig.fromEnvironment(home));
    String h =
        daemon
            ? ServeSettings.DEFAULT_HOST
            : first(host, env("OMEM_HOST"), ServeSettings.DEFAULT_HOST);
    int p = daemon ? 0 : port != null ? port : intEnv("OMEM_PORT", ServeSettings.DEFAULT_PORT);
    String token = Tenants.newKey();
    long t0 = System.nanoTime();
    LOG.info("starting: {} ms since the JVM started", sinceJvmStart());
    // The model loads a moment after the port is announced, once the index is open
    // (LocalAdministration.open): the first calls after a restart do not share the CPU with it.
    java.util.concurrent.CompletableFuture<Void> announced =
        new java.util.concurrent.CompletableFuture<>();
    LocalAdministration service =
        LocalAdministration.open(
            config,
            announced.thenRunAsync(
                () -> {},
                java.util.concurrent.CompletableFuture.delayedExecutor(
                    MODEL_AFTER_ANNOUNCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)));
    LOG.info("store open in {} ms", (System.nanoTime() - t0) / 1_000_000);
    ServeSettings base = ServeSettings.defaults(h, p);
    ServeSettings settings =
        base.toBuilder()
            .openSignup(openSignup)
            .adminToken(env("OMEM_ADMIN_TOKEN"))
            .build()
            .withLocalToken(token)
            .withLocalOwner(daemon, identity(service))
            .withOurmemOnly(
                !daemon && (ourmemOnly || "off".equalsIgnoreCase(env("OMEM_SERVE_EXTENSIONS"))));
    Operations ops;
    try {
      ops = Operations.resolve(System.getenv(), daemon, service.probe());
    } catch (RuntimeException e) {
      announced.complete(null);
      service.close();
      throw e;
    }
    OmemHttpServer server;
    try {
      // Hooks run here, next to the store: capture reads the agent's transcript on this machine.
      HookHandlers hooks =
          new HookHandlers(
              service,
              service.hookSessions(),
              HookSettings.resolve(config.home(), System.getenv()),
              config.home());
      if (daemon) {
        hooks.drainEvery(HookHandlers.DRAIN_INTERVAL); // captures queued for a remote server
      }
      LOG.info("hooks ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
      McpHttpEndpoint mcp =
          new McpHttpEndpoint(
              service,
              Main.version(),
              "/mcp",
              SamplingSetting.enabled(config.home(), System.getenv()),
              daemon,
              RerankSetting.resolve(config.home(), System.getenv()));
      LOG.info("mcp ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
      server =
          OmemHttpServer.start(
              service,
              service.tenants(),
              settings,
              Main.version(),
              new OmemHttpServer.Mounts(
                  mcp.servlet(), hooks, List.of(mcp, hooks), ui(service, token, h)),
              service.idempotentWrites(),
              ops);
    } catch (Exception e) {
      announced.complete(null);
      service.close();
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "cannot listen on " + h + ":" + p + ": " + e.getMessage());
    }
    // Clients find the daemon at once: the model loads after this (a store made before it is
    // ready is embedded by the backfill, a search meanwhile is BM25 only and says so), which
    // keeps a restart after a kill short (BENCHMARKS.md, recovery).
    service.announceDaemon(server.port());
    BuildInfo build = BuildInfo.current();
    DaemonFile file =
        new DaemonFile(
            ProcessHandle.current().pid(), server.port(), token, build.version(), build.built());
    file.write(config.home());
    LOG.info(
        "listening and announced in {} ms ({} ms since the JVM started)",
        (System.nanoTime() - t0) / 1_000_000,
        sinceJvmStart());
    announced.complete(null);
    java.util.concurrent.ScheduledExecutorService keeper = keepFilesInPlace(config, file, service);
    startDecayPasses(service);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  keeper.shutdownNow(); // or it would write the file again
                  file.removeIfOurs(config.home());
                  server.close();
                  service.close();
                },
                "omem-serve-shutdown"));
    System.err.println(
        "omem serve: listening on http://"
            + h
            + ":"
            + server.port()
            + " (data: "
            + config.home()
            + ")");
    if (daemon) {
      ClassDataArchive.makeInBackground(config.home(), server.port(), token);
      ClassDataArchive.makeDaemonArchiveInBackground(config.home());
      Duration idle =
          Duration.ofSeconds(intEnv("OMEM_DAEMON_IDLE_SECONDS", (int) DEFAULT_IDLE.toSeconds()));
      while (server.quietFor().compareTo(idle) < 0) {
        Thread.sleep(Math.min(5_000, Math.max(100, idle.toMillis() / 4)));
      }
      LOG.info("omem daemon: quiet for {} s, exiting", idle.toSeconds());
      System.exit(0);
    }
    server.join();
    return 0;
  }

  /**
   * The web UI: signed in by {@code omem ui}'s one-time link (the server's own token, the machine's
   * owner) or, on a team server, by a tenant's API key typed into its form.
   */
  private UiServlet ui(LocalAdministration service, String token, String host) {
    UiKeys keys =
        key -> {
          if (Tenants.sameSecret(key, token)) {
            return java.util.Optional.of(new UiUser(null, "this machine's owner"));
          }
          if (daemon) {
            return java.util.Optional.empty(); // the daemon's port is its owner's alone
          }
          return service
              .tenants()
              .keys()
              .authenticate(key)
              .map(k -> new UiUser(k.tenantId(), k.tenantId()));
        };
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    return new UiServlet(service, keys, loopback, daemon);
  }

  /** What {@code GET /v1/daemon} answers: which process serves which home, of which build. */
  private static java.util.Map<String, Object> identity(LocalAdministration service) {
    java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
    j.put("pid", ProcessHandle.current().pid());
    j.put("home", service.homeIdentity().home());
    j.put("home_id", service.homeIdentity().id());
    j.put("version", BuildInfo.current().version());
    j.put("built", BuildInfo.current().built());
    return j;
  }

  /**
   * Writes {@code daemon.json} and {@code home.id} again within {@link #FILE_CHECK} when someone
   * deletes them (a {@code daemon.json} that is there is left as it is), so clients keep finding
   * this server and no client opens the store beside it.
   */
  private static java.util.concurrent.ScheduledExecutorService keepFilesInPlace(
      OmemConfig config, DaemonFile file, LocalAdministration service) {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-daemon-file");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            // Only a missing (or unreadable) file: one that names another build is how a newer
            // client is told to replace this daemon (DaemonFaultsIT fakes an old one so).
            if (DaemonFile.read(config.home()).isEmpty()) {
              file.write(config.home());
              LOG.info("wrote {} again", DaemonFile.path(config.home()));
            }
            service.homeIdentity().writeFile(config.home());
          } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot write {}: {}", DaemonFile.path(config.home()), e.toString());
          }
        },
        FILE_CHECK.toMillis(),
        FILE_CHECK.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return timer;
  }

  /** For the start-up timeline in the log (the recovery after a kill is measured on it). */
  private static long sinceJvmStart() {
    return ProcessHandle.current()
        .info()
        .startInstant()
        .map(i -> java.time.Duration.between(i, java.time.Instant.now()).toMillis())
        .orElse(-1L);
  }

  /** The team server may keep its store in PostgreSQL; the local daemon is SQLite only. */
  private OmemConfig withDatabase(OmemConfig config) {
    String databaseUrl = daemon ? database : first(database, env("OMEM_DATABASE_URL"), null);
    if (databaseUrl != null) {
      if (daemon || !PostgresUrl.isPostgres(databaseUrl)) {
        throw OmemException.invalid(
            daemon
                ? "--database is for the team server (omem serve), not the local daemon"
                : "--database / OMEM_DATABASE_URL takes a postgresql:// URL, got '"
                    + PostgresUrl.redact(databaseUrl)
                    + "'");
      }
      return config.withDatabase(databaseUrl);
    }
    return config;
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null ? b : c;
  }

  private static int intEnv(String name, int dflt) {
    String v = env(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw OmemException.invalid(name + " must be a whole number, got '" + v + "'");
    }
  }
}
