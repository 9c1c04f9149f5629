package dev.omem.daemon;

import dev.omem.config.BuildInfo;
import dev.omem.config.HomePermissions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of a stdio server's start-up ({@code <home>/cds/}), made once per
 * build in the background by the daemon. Launchers start {@code omem mcp} with {@code
 * -XX:SharedArchiveFile} when it exists: the JVM then maps the classes the MCP handshake needs
 * instead of loading them, which halves the time to the {@code initialize} answer (BENCHMARKS.md).
 * An archive of another jar path or build is refused by the JVM with a warning, which goes to
 * stdout unless the launcher says {@code -Xlog:disable -Xlog:all=warning:stderr} ({@code
 * -Xlog:all=warning:stderr} alone adds stderr but keeps the default output on stdout, the MCP
 * protocol): see plugins/claude-code/bin/omem and LauncherIT.
 *
 * <p>Over 400 lines because the stdio server's archive and the daemon's are made the same way: one
 * build-named file under {@code <home>/cds/}, dumped to a pid-named temporary and renamed, with
 * what killed makers left behind removed first; the daemon's half adds only its options.
 */
public final class ClassDataArchive {
  private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

  /** A scripted session that loads what a real one does: handshake, listing, a search. */
  private static final List<String> SESSION =
      List.of(
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
              + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"omem-cds\","
              + "\"version\":\"1\"}}}",
          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
              + "\"memory_search\",\"arguments\":{\"query\":\"warm-up\"}}}");

  private ClassDataArchive() {}

  /** Where this build's archive lives (its name carries the build, so old ones never match). */
  public static Path path(Path home) {
    BuildInfo b = BuildInfo.current();
    return home.resolve("cds").resolve("omem-" + b.version() + "-" + b.built() + ".jsa");
  }

  /** Set for the daemon that runs only to make the daemon's archive: it makes no archives. */
  public static final String WARM_UP = "OMEM_CDS_WARM_UP";

  /**
   * The daemon's archive of this build for these compiler flags: an archive dumped without the
   * vector module is refused in part by a JVM started with it ("Mismatched values for property
   * jdk.module.addmods", optimized module handling disabled, Java 25), so a store that grows past
   * {@link DaemonJit#VECTOR_MIN_BYTES} gets an archive of its own instead of a half-refused one.
   */
  static Path daemonArchive(Path home, List<String> jit) {
    BuildInfo b = BuildInfo.current();
    String flavour = jit.equals(DaemonJit.C1_ONLY) ? "" : "-vector";
    return home.resolve("cds")
        .resolve("daemon-" + b.version() + "-" + b.built() + flavour + ".jsa");
  }

  /**
   * The JVM options of a daemon's start: its own archive of this build when one was made ({@link
   * #makeDaemonArchiveInBackground}), so a restart after a kill maps its classes instead of loading
   * them. An archive is used only once it is whole: a truncated one crashes the JVM.
   */
  static List<String> daemonOptions(Path home) {
    List<String> jit = DaemonJit.options(home);
    Path archive = daemonArchive(home, jit);
    List<String> options = new java.util.ArrayList<>(jit);
    options.addAll(DAEMON_MEMORY);
    List<String> extra = extraOptions(System.getenv(DAEMON_JAVA_OPTS));
    options.addAll(DaemonHeap.floor(extra));
    if (DaemonLauncher.jar().isPresent() && Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive);
    }
    options.addAll(extra);
    return options;
  }

  /**
   * Set to add JVM options to the daemon's (after the defaults, so the last of a flag wins): a
   * profile ({@code -XX:StartFlightRecording=...}) or another heap, as OMEM_JAVA_OPTS does for the
   * thin client. Split on spaces.
   */
  public static final String DAEMON_JAVA_OPTS = "OMEM_DAEMON_JAVA_OPTS";

  static List<String> extraOptions(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.trim().split("\\s+"));
  }

  /**
   * A long-lived, mostly idle daemon: G1 capped at 128 MiB, a periodic collection after 15 s of
   * quiet that gives unused heap back to the system (JEP 346), heap shrunk to at most 30% free
   * after a collection, and small thread stacks for Jetty's pool. Its live heap is 15-20 MiB at 10k
   * memories; G1 sizes the heap by the share of time spent collecting: at 256 MiB it held 142-157
   * MiB committed while calls came (RSS 320-367 MiB at 10k), at 128 MiB 29-94 (RSS 236-284 in every
   * phase; BENCHMARKS.md, sessions 13 and 14). What once needed more streams: an import is copied
   * to disk and read a memory at a time (ImportSpool; ImportStreamingIT: 35 MB through 96 MiB), an
   * export is written as it is read, and an index rebuild at 100k completes under 128 MiB without a
   * full collection (session 14). {@link DaemonHeap#floor} adds a 64 MiB minimum (session 24).
   */
  static final List<String> DAEMON_MEMORY =
      List.of(
          "-XX:+UseG1GC",
          "-Xmx128m",
          "-XX:G1PeriodicGCInterval=15000",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-Xss512k");

  /**
   * The daemon's environment beside the caller's (a value the user set wins): glibc's malloc keeps
   * up to eight arenas per core, and the threads of Jetty, ONNX Runtime and SQLite spread their
   * allocations over them; two took 8-10 MiB off the native part of the daemon's RSS at 10k
   * memories (BENCHMARKS.md, session 12). Other C libraries ignore it.
   */
  static final java.util.Map<String, String> DAEMON_ENVIRONMENT =
      java.util.Map.of("MALLOC_ARENA_MAX", "2");

  /** {@link #DAEMON_ENVIRONMENT} added to {@code env} where it has no value of its own. */
  static void addDaemonEnvironment(java.util.Map<String, String> env) {
    DAEMON_ENVIRONMENT.forEach(env::putIfAbsent);
  }

  /**
   * Makes the daemon's archive when it is missing: a second daemon of this jar on a scratch home
   * starts, exits after a second of quiet, and dumps the classes it loaded; the file is moved into
   * place only after that process exited with 0 (a whole archive).
   */
  public static void makeDaemonArchiveInBackground(Path home) {
    Optional<Path> jar = DaemonLauncher.jar();
    if (System.getenv(WARM_UP) != null || jar.isEmpty()) {
      return;
    }
    List<String> jit = DaemonJit.options(home);
    if (Files.isRegularFile(daemonArchive(home, jit))) {
      return;
    }
    Thread t = new Thread(() -> makeDaemonArchive(home, jar.get(), jit), "omem-cds-daemon");
    t.setDaemon(true);
    t.start();
  }

  private static void makeDaemonArchive(Path home, Path jar, List<String> jit) {
    Path target = daemonArchive(home, jit);
    Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid());
    Path scratch = null;
    try {
      HomePermissions.createPrivateDir(target.getParent());
      Files.deleteIfExists(tmp);
      removeLeftovers(target);
      // Beside the archive in the private data dir, not the temp dir: a kill of this process (or
      // its exit while the archive is made) left a whole scratch store there each time, hundreds
      // of them on a test machine; the next attempt removes a dead process's (removeLeftovers).
      scratch = scratchHome(target, ProcessHandle.current().pid());
      deleteQuietly(scratch);
      HomePermissions.createPrivateDir(scratch);
      ProcessBuilder pb =
          new ProcessBuilder(
              java.util.stream.Stream.of(
                      List.of(
                          DaemonLauncher.java(),
                          "-XX:ArchiveClassesAtExit=" + tmp.toAbsolutePath(),
                          "-Xlog:disable"),
                      // The flags of the daemon that will map it (its name says which).
                      jit,
                      List.of(
                          "-cp",
                          jar.toString(),
                          "dev.omem.cli.Main",
                          "serve",
                          "--daemon",
                          "--home",
                          scratch.toString()))
                  .flatMap(List::stream)
                  .toList());
      // In the scratch home, not the user's working directory: a JVM that dies there (it is
      // killed with its parent, sometimes while the model's native library loads) leaves its
      // hs_err file where it is deleted with the scratch home.
      pb.directory(scratch.toFile());
      pb.environment().put(WARM_UP, "1");
      // Quiet for 2 s after the calls below, it exits and the JVM writes the archive.
      pb.environment().put("OMEM_DAEMON_IDLE_SECONDS", "2");
      pb.environment().put("OMEM_EXIT_WITH_PID", String.valueOf(ProcessHandle.current().pid()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      exercise(scratch, p);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return;
      }
      if (p.exitValue() == 0 && Files.isRegularFile(tmp)) {
        if (HomePermissions.posix(tmp)) {
          Files.setPosixFilePermissions(tmp, HomePermissions.FILE); // the JVM writes it 0444
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("made the daemon's start-up archive {}", target);
      }
    } catch (IOException e) {
      LOG.warn("could not make the daemon's start-up archive: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a stray temporary file is never used
      }
      deleteQuietly(scratch);
    }
  }

  /**
   * Sends the warm-up daemon what a restarted one answers first (a keyed store, a search, a list),
   * so that the archive holds the classes of those calls, not only of the start: without them the
   * first call after a kill loaded about a thousand classes from the jar.
   */
  private static void exercise(Path scratch, Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Optional<DaemonFile> f = Optional.empty();
    while (p.isAlive() && System.nanoTime() < deadline) {
      f = DaemonFile.read(scratch).filter(d -> d.pid() == p.pid());
      if (f.isPresent()) {
        break;
      }
      Thread.sleep(50);
    }
    if (f.isEmpty()) {
      return;
    }
    String base = "http://127.0.0.1:" + f.get().port() + "/v1/";
    call(base + "daemon", "GET", f.get().token(), null); // what DaemonLauncher asks first
    call(base + "memories", "POST", f.get().token(), "{\"content\":\"Warm-up: a stored fact.\"}");
    call(base + "memories/search?q=warm-up", "GET", f.get().token(), null);
    call(base + "memories?limit=5", "GET", f.get().token(), null);
  }

  private static void call(String url, String method, String token, String body) {
    try {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
      c.setRequestMethod(method);
      c.setConnectTimeout(5_000);
      c.setReadTimeout(30_000);
      c.setRequestProperty("X-API-Key", token);
      c.setRequestProperty("Idempotency-Key", java.util.UUID.randomUUID().toString());
      if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      c.disconnect();
    } catch (IOException e) {
      LOG.debug("warm-up call {} failed: {}", url, e.toString());
    }
  }

  /** Half-made archives of daemons killed while making one ({@code <archive>.<pid>}). */
  private static final String SCRATCH = ".home";

  /** The warm-up daemon's home while process {@code pid} makes {@code target}. */
  static Path scratchHome(Path target, long pid) {
    return target.resolveSibling(target.getFileName() + "." + pid + SCRATCH);
  }

  /** Removes what dead processes left while making {@code target}: archives and scratch homes. */
  static void removeLeftovers(Path target) throws IOException {
    String prefix = target.getFileName() + ".";
    try (var files = Files.list(target.getParent())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(prefix)) {
          String rest = name.substring(prefix.length());
          boolean home = rest.endsWith(SCRATCH);
          try {
            long pid =
                Long.parseLong(home ? rest.substring(0, rest.length() - SCRATCH.length()) : rest);
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
              if (home) {
                deleteQuietly(f);
              } else {
                Files.deleteIfExists(f);
              }
            }
          } catch (NumberFormatException e) {
            // not one of ours
          }
        }
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a scratch home; the next attempt removes what is left (removeLeftovers)
    }
  }

  /** The archive for this build, if it has been made. */
  public static Optional<Path> existing(Path home) {
    Path p = path(home);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Makes the archive on a background thread when it is missing and omem runs from a jar. It runs
   * the scripted session through a stdio server of this jar, which talks to the daemon.
   */
  public static void makeInBackground(Path home, int port, String token) {
    Optional<Path> jar = DaemonLauncher.jar();
    if (existing(home).isPresent() || jar.isEmpty() || System.getenv(WARM_UP) != null) {
      return;
    }
    Thread t = new Thread(() -> make(home, jar.get(), port, token), "omem-cds");
    t.setDaemon(true);
    t.start();
  }

  private static void make(Path home, Path jar, int port, String token) {
    Path target = path(home);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      HomePermissions.createPrivateDir(target.getParent());
      HomePermissions.createPrivateFile(home.resolve("daemon.log"));
      Files.deleteIfExists(tmp);
      ProcessBuilder pb =
          new ProcessBuilder(
              DaemonLauncher.java(),
              "-XX:ArchiveClassesAtExit=" + tmp,
              // JVM logging goes to stdout by default: none at all (CDS warns about every
              // pre-Java-6 class it cannot archive).
              "-Xlog:disable",
              "-cp",
              jar.toString(),
              "dev.omem.cli.Main",
              "mcp",
              "--home",
              home.toString());
      pb.redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("daemon.log").toFile()));
      // Straight to the daemon that asked, as a remote server: the warm-up never starts, stops
      // or replaces a daemon itself.
      pb.environment().put("OMEM_API_URL", "http://127.0.0.1:" + port);
      pb.environment().put("OMEM_API_KEY", token);
      // The child ends with the daemon, even a killed one (McpCommand.EXIT_WITH_PID).
      pb.environment().put("OMEM_EXIT_WITH_PID", String.valueOf(ProcessHandle.current().pid()));
      pb.redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream();
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line : SESSION) {
          in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          in.flush();
        }
        // Close stdin (which ends the session) only after the search answered.
        for (String line; (line = out.readLine()) != null; ) {
          if (line.contains("\"id\":3")) {
            break;
          }
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return;
      }
      if (p.exitValue() == 0 && Files.isRegularFile(tmp)) {
        if (HomePermissions.posix(tmp)) {
          Files.setPosixFilePermissions(tmp, HomePermissions.FILE); // the child's umask made it
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("made the start-up archive {}", target);
      }
    } catch (IOException e) {
      LOG.warn("could not make the start-up archive: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
