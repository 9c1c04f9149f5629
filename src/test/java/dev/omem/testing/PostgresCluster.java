package dev.omem.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests, one per JVM, shared by every test class: {@code initdb}
 * into a fresh directory under {@code java.io.tmpdir} (not under root's home, which is 0700 and so
 * closed to the {@code postgres} user), a random free port on 127.0.0.1, its unix socket in that
 * directory, started with {@code pg_ctl} and stopped and removed when the JVM exits. Running as
 * root, every PostgreSQL binary runs as the {@code postgres} OS user through {@code runuser}
 * (PostgreSQL refuses to run as root). Each test class asks for its own database ({@link
 * #newDatabase}), which costs a few milliseconds.
 *
 * <p>Binaries come from {@code OMEM_PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin},
 * else {@code pg_config --bindir}. Without them a test is skipped, saying to install Debian's
 * {@code postgresql} package; with {@code CI=true} it fails instead, as {@link NodeRunner} does.
 *
 * <p>A cluster left behind by a killed JVM is stopped and removed by the next one (its directory
 * names the JVM's pid).
 */
public final class PostgresCluster {
  /** The superuser initdb creates; trust authentication on loopback, so no password. */
  public static final String USER = "postgres";

  private static final String DIR_PREFIX = "omem-pg-";
  private static final long START_SECONDS = 60;
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresCluster shared;
  private static String unavailable;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /**
   * The JVM's cluster, started on first use. Skips the calling test when PostgreSQL is not
   * installed (fails it on CI).
   */
  public static synchronized PostgresCluster shared() {
    if (shared != null) {
      return shared;
    }
    if (unavailable == null) {
      Optional<Path> bin = binaries();
      if (bin.isEmpty()) {
        unavailable =
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no pg_config);"
                + " install it with `apt-get install postgresql` (the tests start their own"
                + " throwaway cluster, the Debian service need not run) or set OMEM_PG_BIN";
      } else {
        try {
          shared = start(bin.get());
          return shared;
        } catch (IOException | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("cannot start a test PostgreSQL cluster: " + e, e);
        }
      }
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(unavailable);
    }
    Assumptions.abort(unavailable);
    throw new AssertionError("unreachable");
  }

  public int port() {
    return port;
  }

  public Path directory() {
    return dir;
  }

  /**
   * A new empty database named after {@code purpose} (made unique); returns its URL in the form
   * {@code omem serve --database} takes: {@code postgresql://postgres@127.0.0.1:<port>/<name>}.
   */
  public String newDatabase(String purpose) {
    String name =
        purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
            + "_"
            + ProcessHandle.current().pid()
            + "_"
            + DATABASES.incrementAndGet();
    if (name.length() > 60) {
      name = name.substring(name.length() - 60);
    }
    name = "t_" + name;
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e, e);
    }
    return url(name);
  }

  /** The {@code postgresql://} URL of database {@code name} in this cluster. */
  public String url(String name) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
  }

  /** The JDBC URL of database {@code name}, for tests that look at the tables directly. */
  public String jdbcUrl(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** Opens a plain JDBC connection to database {@code name} (for assertions on the tables). */
  public Connection connect(String name) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(name), USER, "");
  }

  /** The database name at the end of a URL this cluster made. */
  public static String databaseOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static PostgresCluster start(Path bin) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    removeAbandoned(bin, tmp, root);
    Path dir = Files.createTempDirectory(tmp, DIR_PREFIX + ProcessHandle.current().pid() + "-");
    if (root) {
      run(List.of("chown", USER + ":", dir.toString()), false, dir);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync"),
        root,
        dir);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      PostgresCluster cluster = new PostgresCluster(bin, dir, port, root);
      try {
        cluster.pgCtl(
            "start",
            "-w",
            "-t",
            String.valueOf(START_SECONDS),
            "-l",
            dir.resolve("postgres.log").toString(),
            "-o",
            // Durability is not under test: fsync off makes CREATE DATABASE and commits cheap.
            "-p "
                + port
                + " -k "
                + dir
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                + " -c synchronous_commit=off -c max_connections=200");
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopAndRemove, "pg-test-stop"));
        return cluster;
      } catch (IOException e) {
        last = e; // the port was taken between freePort and start: try another
      }
    }
    deleteTree(dir);
    throw last;
  }

  private void pgCtl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin.resolve("pg_ctl").toString());
    cmd.add("-D");
    cmd.add(dir.resolve("data").toString());
    cmd.addAll(List.of(args));
    run(cmd, asPostgres, dir);
  }

  /** Stops the cluster at once (no checkpoint: it is thrown away) and removes its directory. */
  void stopAndRemove() {
    try {
      pgCtl("stop", "-m", "immediate", "-w");
    } catch (IOException | InterruptedException e) {
      System.err.println("stopping the test PostgreSQL cluster failed: " + e.getMessage());
    }
    deleteTree(dir);
  }

  /** Clusters of JVMs that died without their shutdown hook: stopped and removed. */
  private static void removeAbandoned(Path bin, Path tmp, boolean root) {
    try (Stream<Path> entries = Files.list(tmp)) {
      for (Path d : entries.toList()) {
        String n = d.getFileName().toString();
        if (!n.startsWith(DIR_PREFIX)) {
          continue;
        }
        String pid = n.substring(DIR_PREFIX.length()).replaceAll("-.*", "");
        boolean alive = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isPresent();
        if (!alive) {
          try {
            new PostgresCluster(bin, d, 0, root).stopAndRemove();
          } catch (RuntimeException e) {
            // not ours to clean after all
          }
        }
      }
    } catch (IOException e) {
      // the temp dir cannot be listed: nothing to clean
    }
  }

  private static void run(List<String> cmd, boolean asPostgres, Path dir)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", USER, "--"));
    }
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).directory(dir.toFile());
    Process p = pb.start();
    // pg_ctl start leaves the server holding no pipe of ours (its output goes to -l), so reading
    // to the end here returns when pg_ctl exits.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(START_SECONDS + 10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ":\n" + out);
    }
  }

  private static Optional<Path> binaries() {
    String env = System.getenv("OMEM_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(b -> Files.isExecutable(b.resolve("initdb")));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(Comparator.comparing(PostgresCluster::majorVersion));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to pg_config
      }
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Optional.of(Path.of(out)).filter(b -> Files.isExecutable(b.resolve("initdb")));
      }
    } catch (IOException e) {
      // no pg_config on the PATH
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static int majorVersion(Path bin) {
    String v = bin.getParent().getFileName().toString();
    return v.matches("\\d+") ? Integer.parseInt(v) : 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the test cluster " + dir, e);
    }
  }
}
