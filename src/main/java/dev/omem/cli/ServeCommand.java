package dev.omem.cli;

import dev.omem.config.BuildInfo;
import dev.omem.config.OmemConfig;
import dev.omem.daemon.ClassDataArchive;
import dev.omem.daemon.DaemonFile;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.hooks.HookHandler;
import dev.omem.hooks.HookSettings;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.mcp.McpHttpEndpoint;
import dev.omem.mcp.SamplingSetting;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.Tenants;
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
 */
@Command(name = "serve", description = "Serve the REST API and MCP over HTTP.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  /**
   * A daemon nobody has called for 30 minutes exits; the next client starts it again (about a
   * second, the model loading behind it).
   */
  private static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

  /** The model loads in about a second; a machine too loaded for this gets BM25 until it is. */
  private static final Duration MODEL_WAIT = Duration.ofSeconds(20);

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

  @Option(names = "--daemon", hidden = true, description = "Run as the per-user local daemon.")
  boolean daemon;

  /** How often the server (the daemon too) runs a lifecycle pass over its store by itself. */
  static final Duration DECAY_INTERVAL = Duration.ofHours(1);

  /**
   * Runs a lifecycle pass once at start and then every {@link #DECAY_INTERVAL}, on a daemon thread:
   * tiers move and expired memories are archived without anyone running {@code omem decay}; then
   * the upkeep pass ({@code service.Upkeep}).
   */
  private static void startDecayPasses(LocalMemoryService service) {
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
        },
        0,
        DECAY_INTERVAL.toMinutes(),
        java.util.concurrent.TimeUnit.MINUTES);
  }

  @Override
  public Integer call() throws Exception {
    OmemConfig config = OmemConfig.fromEnvironment(home);
    String h =
        daemon
            ? ServeSettings.DEFAULT_HOST
            : first(host, env("OMEM_HOST"), ServeSettings.DEFAULT_HOST);
    int p = daemon ? 0 : port != null ? port : intEnv("OMEM_PORT", ServeSettings.DEFAULT_PORT);
    String token = Tenants.newKey();
    ServeSettings base = ServeSettings.defaults(h, p);
    ServeSettings settings =
        new ServeSettings(
                h,
                p,
                openSignup,
                env("OMEM_ADMIN_TOKEN"),
                null,
                base.maxBodyBytes(),
                base.requestsPerSecond(),
                base.burst(),
                base.requestTimeout())
            .withLocalToken(token);
    LocalMemoryService service = LocalMemoryService.open(config);
    OmemHttpServer server;
    try {
      // Hooks run here, next to the store: capture reads the agent's transcript on this machine.
      HookHandler hooks =
          new HookHandler(
              service,
              service.hookSessions(),
              HookSettings.resolve(config.home(), System.getenv()));
      McpHttpEndpoint mcp =
          new McpHttpEndpoint(
              service,
              Main.version(),
              "/mcp",
              SamplingSetting.enabled(config.home(), System.getenv()));
      server =
          OmemHttpServer.start(
              service,
              service.tenants(),
              settings,
              Main.version(),
              new OmemHttpServer.Mounts(mcp.servlet(), hooks::handle, List.of(mcp, hooks)));
    } catch (Exception e) {
      service.close();
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "cannot listen on " + h + ":" + p + ": " + e.getMessage());
    }
    if (daemon) {
      // Clients find a daemon by its file: write it once the model is loaded, so that what they
      // store is embedded at once and a search never falls back to BM25 alone.
      service.awaitModel(MODEL_WAIT);
    }
    startDecayPasses(service);
    BuildInfo build = BuildInfo.current();
    DaemonFile file =
        new DaemonFile(
            ProcessHandle.current().pid(), server.port(), token, build.version(), build.built());
    file.write(config.home());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
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
