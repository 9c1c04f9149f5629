package dev.omem.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.BuildInfo;
import dev.omem.config.HomePermissions;
import dev.omem.store.DataDirLock;
import dev.omem.store.HomeIdentity;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the local daemon of a data directory, and starts one when none answers (DESIGN.md decision
 * 2). Several processes may ask at once: a file lock lets one of them start it while the others
 * wait and then use it. A daemon from an older build is stopped and replaced. A daemon is accepted
 * only when it serves this very home ({@link #answers}); while any process holds the home's store
 * lock, no second daemon starts and no client opens the store beside it.
 */
public final class DaemonLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonLauncher.class);

  /** A cold daemon answers within about a second; allow for a loaded machine. */
  private static final Duration START_WAIT = Duration.ofSeconds(30);

  /**
   * How often a client looks for the daemon it waits for: a file read, and a loopback request once
   * the file is there. 10 ms keeps the wait after a kill close to the daemon's own start time.
   */
  private static final long POLL_MS = 10;

  /**
   * Daemons started in a row that died before answering (killed while starting, or failing) before
   * the client concludes that none can run here and opens the store itself.
   */
  private static final int MAX_STARTS = 3;

  /** A daemon shuts down in well under a second; after this it is killed. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  /** /v1/daemon on loopback answers in a millisecond; a daemon slower than this is not used. */
  private static final int HEALTH_TIMEOUT_MS = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Threads of one JVM share its file locks, so they queue here first. */
  private static final ReentrantLock LOCAL = new ReentrantLock();

  private final Path home;

  public DaemonLauncher(Path home) {
    this.home = home;
  }

  /** The daemon now serving this data dir, if one is alive, answers, and serves this very home. */
  public Optional<DaemonFile> running() {
    return DaemonFile.read(home).filter(this::answers);
  }

  /**
   * Who holds this home's store, found through its lock (so even without {@code daemon.json}): a
   * daemon (with its port) or a process with the store in it.
   */
  public Optional<DataDirLock.Holder> holder() {
    return DataDirLock.holder(home);
  }

  /**
   * A running daemon of this build or a newer one, started when needed; empty when none can run
   * (the caller then opens the store itself) or when the store stays held by a process that does
   * not answer as this home's daemon (opening it then fails with the holder's pid). While any
   * process holds the home, no second daemon is started and the client waits for the holder.
   */
  public Optional<DaemonFile> ensure() {
    int starts = 0;
    long waitingFor = 0; // the holder being waited for, and since when
    long since = 0;
    while (true) {
      Optional<DaemonFile> f = usable();
      if (f.isPresent()) {
        return f;
      }
      Optional<DataDirLock.Holder> holder = holder();
      if (holder.isPresent()) {
        // A daemon starting, one whose file was deleted (it writes it again), or a store held
        // in-process (given back when idle): never a second owner beside it.
        long pid = holder.get().pid();
        if (pid == ProcessHandle.current().pid()) {
          return Optional.empty();
        }
        if (pid != waitingFor) {
          waitingFor = pid;
          since = System.nanoTime();
        } else if (System.nanoTime() - since > START_WAIT.toNanos()) {
          return Optional.empty();
        }
        sleep(POLL_MS);
        continue;
      }
      if (starts == MAX_STARTS) {
        LOG.warn(
            "omem's daemon exited {} times before answering; see {}",
            starts,
            home.resolve("daemon.log"));
        return Optional.empty();
      }
      starts++;
      try {
        f = startUnderLock(System.nanoTime() + START_WAIT.toNanos());
      } catch (IOException e) {
        LOG.warn("could not start omem's daemon in {}: {}", home, e.toString());
        return Optional.empty();
      }
      if (f.isPresent()) {
        return f;
      }
    }
  }

  /** Starts a daemon unless another process did meanwhile; empty when it died before answering. */
  private Optional<DaemonFile> startUnderLock(long deadline) throws IOException {
    LOCAL.lock();
    try {
      HomePermissions.createPrivateDir(home);
      try (FileChannel ch =
              FileChannel.open(
                  home.resolve("daemon.start.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        LOG.debug("holding {} to start the daemon", lock);
        Optional<DaemonFile> f = usable();
        if (f.isPresent() || holder().isPresent()) {
          return f; // started by another client meanwhile: the caller's loop waits for it
        }
        return start(deadline);
      }
    } finally {
      LOCAL.unlock();
    }
  }

  /**
   * A healthy daemon of this home that is not older than this jar. An older one is stopped, checked
   * before it is asked anything (an old build may not know {@code /v1/daemon}) and only when it is
   * the process holding this home's lock (a copied home's file names another home's daemon).
   */
  private Optional<DaemonFile> usable() {
    Optional<DaemonFile> f = DaemonFile.read(home);
    if (f.isEmpty()) {
      return f;
    }
    if (BuildInfo.current().newerThan(f.get().build())
        && holder().map(h -> h.pid() == f.get().pid()).orElse(false)) {
      LOG.info("replacing omem daemon {} (build {})", f.get().pid(), f.get().built());
      stop(f.get());
      return Optional.empty();
    }
    return f.filter(this::answers);
  }

  private Optional<DaemonFile> start(long deadline) throws IOException {
    Path log = home.resolve("daemon.log");
    HomePermissions.createPrivateFile(log); // appended to by the daemon: never world-readable
    ProcessBuilder pb = new ProcessBuilder(command());
    ClassDataArchive.addDaemonEnvironment(pb.environment());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    long t0 = System.nanoTime();
    Process p = pb.start();
    LOG.info("started omem's daemon {}", p.pid());
    while (System.nanoTime() < deadline) {
      Optional<DaemonFile> f = running();
      if (f.isPresent()) {
        LOG.info(
            "omem's daemon {} answered in {} ms", p.pid(), (System.nanoTime() - t0) / 1_000_000);
        return f;
      }
      if (!p.isAlive()) {
        // Killed while starting, or it lost the store to another process: the caller looks
        // again (that process, or a new daemon).
        LOG.info("omem's daemon {} exited with {} before answering", p.pid(), p.exitValue());
        return Optional.empty();
      }
      sleep(POLL_MS);
    }
    LOG.warn("omem's daemon did not answer within {} s; see {}", START_WAIT.toSeconds(), log);
    p.destroy();
    return Optional.empty();
  }

  /** {@code java -cp <this jar> dev.omem.cli.Main serve --daemon --home <dir>}, detached. */
  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    // setsid: the daemon outlives the agent's process group, which clients kill on exit.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(java());
    cmd.addAll(ClassDataArchive.daemonOptions(home));
    cmd.add("-cp");
    cmd.add(codeSource().toString());
    cmd.add("dev.omem.cli.Main");
    cmd.add("serve");
    cmd.add("--daemon");
    cmd.add("--home");
    cmd.add(home.toString());
    return cmd;
  }

  /** The java executable this JVM runs on. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The jar omem runs from, or empty when it runs from class directories (tests). */
  public static Optional<Path> jar() {
    Path p = codeSource();
    return Files.isRegularFile(p) && p.toString().endsWith(".jar")
        ? Optional.of(p)
        : Optional.empty();
  }

  private static Path codeSource() {
    try {
      return Path.of(
          DaemonLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate omem's jar", e);
    }
  }

  /** Stops a daemon: SIGTERM (it closes the store cleanly), SIGKILL if it does not exit. */
  public static boolean stop(DaemonFile f) {
    return stop(f.pid());
  }

  /** Stops the daemon with this pid, as {@link #stop(DaemonFile)}. */
  public static boolean stop(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return false;
    }
    h.get().destroy();
    try {
      h.get().onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.get().destroyForcibly();
      try {
        h.get().onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception gone) {
        LOG.warn("daemon {} did not exit after SIGKILL", pid);
      }
    }
    return true;
  }

  /**
   * Whether the daemon is alive and answers, with its token, as the daemon of this home: the same
   * pid, the same canonical home path (a copied home's {@code daemon.json} names the original's
   * daemon), and the home id of {@code <home>/home.id} when there is one.
   */
  boolean answers(DaemonFile f) {
    if (ProcessHandle.of(f.pid()).map(h -> !h.isAlive()).orElse(true)) {
      return false;
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + f.port() + "/v1/daemon").toURL().openConnection();
      c.setConnectTimeout(HEALTH_TIMEOUT_MS);
      c.setReadTimeout(HEALTH_TIMEOUT_MS);
      c.setRequestProperty("X-API-Key", f.token());
      try {
        if (c.getResponseCode() != 200) {
          return false;
        }
        JsonNode j;
        try (InputStream in = c.getInputStream()) {
          j = JSON.readTree(in);
        }
        boolean ours =
            j.path("pid").asLong() == f.pid()
                && HomeIdentity.canonical(home).equals(j.path("home").asText())
                && HomeIdentity.readFile(home)
                    .map(id -> id.equals(j.path("home_id").asText()))
                    .orElse(true);
        if (!ours) {
          LOG.warn(
              "the daemon {} on port {} serves {}, not {}: not using it",
              f.pid(),
              f.port(),
              j.path("home").asText(),
              home);
        }
        return ours;
      } finally {
        c.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while starting the daemon"));
    }
  }
}
