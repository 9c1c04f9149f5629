package dev.omem.daemon;

import dev.omem.config.BuildInfo;
import dev.omem.config.HomePermissions;
import java.io.File;
import java.io.IOException;
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
 * wait and then use it. A daemon from an older build is stopped and replaced.
 */
public final class DaemonLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonLauncher.class);

  /** A cold daemon binds its port within about a second; allow for a loaded machine. */
  private static final Duration START_WAIT = Duration.ofSeconds(30);

  /** How long a daemon that lost the race for the store waits for the winner to answer. */
  private static final Duration LOSER_WAIT = Duration.ofSeconds(5);

  /** A daemon shuts down in well under a second; after this it is killed. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  /** /health on loopback answers in a millisecond; a daemon slower than this is not used. */
  private static final int HEALTH_TIMEOUT_MS = 1_000;

  /** Threads of one JVM share its file locks, so they queue here first. */
  private static final ReentrantLock LOCAL = new ReentrantLock();

  private final Path home;

  public DaemonLauncher(Path home) {
    this.home = home;
  }

  /** The daemon now serving this data dir, if one is alive and answers. */
  public Optional<DaemonFile> running() {
    return DaemonFile.read(home).filter(DaemonLauncher::answers);
  }

  /**
   * A running daemon of this build or a newer one, started when needed; empty when none could be
   * started (the caller then opens the store itself).
   */
  public Optional<DaemonFile> ensure() {
    Optional<DaemonFile> f = usable();
    if (f.isPresent()) {
      return f;
    }
    LOCAL.lock();
    try {
      HomePermissions.createPrivateDir(home);
    } catch (IOException e) {
      LOCAL.unlock();
      LOG.warn("cannot create the data dir {}: {}", home, e.toString());
      return Optional.empty();
    }
    try (FileChannel ch =
            FileChannel.open(
                home.resolve("daemon.start.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      LOG.debug("holding {} to start the daemon", lock);
      f = usable();
      if (f.isPresent()) {
        return f;
      }
      return start();
    } catch (IOException e) {
      LOG.warn("could not start omem's daemon in {}: {}", home, e.toString());
      return Optional.empty();
    } finally {
      LOCAL.unlock();
    }
  }

  /** A healthy daemon that is not older than this jar; an older one is stopped. */
  private Optional<DaemonFile> usable() {
    Optional<DaemonFile> f = running();
    if (f.isPresent() && BuildInfo.current().newerThan(f.get().build())) {
      LOG.info("replacing omem daemon {} (build {})", f.get().pid(), f.get().built());
      stop(f.get());
      return Optional.empty();
    }
    return f;
  }

  private Optional<DaemonFile> start() throws IOException {
    Path log = home.resolve("daemon.log");
    HomePermissions.createPrivateFile(log); // appended to by the daemon: never world-readable
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    long exitedAt = 0;
    while (System.nanoTime() < deadline) {
      Optional<DaemonFile> f = running();
      if (f.isPresent()) {
        return f;
      }
      if (!p.isAlive() && p.exitValue() != 0 && exitedAt == 0) {
        // Another process may have started a daemon a moment before ours (ours then finds the
        // store taken): give that one a few seconds to answer before falling back.
        exitedAt = System.nanoTime();
      }
      if (exitedAt != 0 && System.nanoTime() - exitedAt > LOSER_WAIT.toNanos()) {
        LOG.warn("omem's daemon exited with {}; see {}", p.exitValue(), log);
        return Optional.empty();
      }
      sleep(25);
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
    Optional<ProcessHandle> h = ProcessHandle.of(f.pid());
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
        LOG.warn("daemon {} did not exit after SIGKILL", f.pid());
      }
    }
    return true;
  }

  /** Whether the process is alive and its {@code /health} answers 200. */
  static boolean answers(DaemonFile f) {
    if (ProcessHandle.of(f.pid()).map(h -> !h.isAlive()).orElse(true)) {
      return false;
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + f.port() + "/health").toURL().openConnection();
      c.setConnectTimeout(HEALTH_TIMEOUT_MS);
      c.setReadTimeout(HEALTH_TIMEOUT_MS);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
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
