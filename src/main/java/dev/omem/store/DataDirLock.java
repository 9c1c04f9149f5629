package dev.omem.store;

import dev.omem.config.HomePermissions;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock an embedded store holds on its data directory (DESIGN.md decision 2: one
 * writer per data directory). A second process gets a clear message instead of a store two writers
 * would corrupt (the Lucene index has one writer by construction).
 *
 * <p>{@code omem.lock} says who holds it: the pid on the first line and, for a daemon, {@code
 * daemon <port>} on the second ({@link #announceDaemon}). So {@code omem daemon status|stop} and
 * clients find a daemon through the lock even when {@code daemon.json} is gone ({@link #holder}).
 *
 * <p>Locks are POSIX record locks: closing any descriptor of the file drops them for the whole
 * process. So the holding process never opens the file again; it answers {@link #holder} from
 * {@link #HELD}.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "omem.lock";

  /**
   * How long {@link #acquire} retries a lock that is taken: a {@link #holder} probe holds it for
   * microseconds, so a store opening at that moment must not fail because of it.
   */
  private static final long ACQUIRE_RETRY_MS = 300;

  /** The locks this JVM holds, by the data dir's absolute path. */
  private static final Map<Path, DataDirLock> HELD = new ConcurrentHashMap<>();

  /**
   * Who holds a data dir's lock.
   *
   * @param port the daemon's port, or 0 when the holder is not a daemon (a store in-process)
   */
  public record Holder(long pid, int port) {
    public boolean daemon() {
      return port > 0;
    }
  }

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  private volatile int port;

  private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails (after {@link #ACQUIRE_RETRY_MS}) naming the holder's pid. */
  public static DataDirLock acquire(Path dir) {
    Path key = key(dir);
    Path file = dir.resolve(FILE);
    try {
      HomePermissions.createPrivateDir(dir);
      if (HELD.containsKey(key)) {
        throw inUse(dir, String.valueOf(ProcessHandle.current().pid()));
      }
      HomePermissions.createPrivateFile(file);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l = tryLock(ch);
      long deadline = System.nanoTime() + ACQUIRE_RETRY_MS * 1_000_000;
      while (l == null && System.nanoTime() < deadline) {
        sleep(10);
        l = tryLock(ch);
      }
      if (l == null) {
        String holder = read(ch).map(h -> String.valueOf(h.pid())).orElse("");
        ch.close();
        throw inUse(dir, holder);
      }
      DataDirLock held = new DataDirLock(dir, ch, l);
      held.writeState();
      HELD.put(key, held);
      return held;
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL, "cannot lock the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Records in the lock file that a daemon listening on {@code port} holds it. */
  public void announceDaemon(int port) {
    this.port = port;
    try {
      writeState();
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL, "cannot write the lock file in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Who holds the data dir now, if anyone: probed by taking the lock for a moment (a free lock is
   * released at once), so a pid left in the file by a dead process is never reported.
   */
  public static Optional<Holder> holder(Path dir) {
    DataDirLock mine = HELD.get(key(dir));
    if (mine != null) {
      return Optional.of(new Holder(ProcessHandle.current().pid(), mine.port));
    }
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock l = tryLock(ch);
      if (l != null) {
        l.release();
        return Optional.empty();
      }
      return read(ch);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void writeState() throws IOException {
    String s = ProcessHandle.current().pid() + "\n" + (port > 0 ? "daemon " + port + "\n" : "");
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
  }

  private static Optional<Holder> read(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    ch.read(buf, 0);
    String[] lines = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).split("\n");
    try {
      long pid = Long.parseLong(lines[0].trim());
      int port = 0;
      if (lines.length > 1 && lines[1].startsWith("daemon ")) {
        port = Integer.parseInt(lines[1].substring("daemon ".length()).trim());
      }
      return Optional.of(new Holder(pid, port));
    } catch (NumberFormatException e) {
      return Optional.empty(); // being written, or written by something else
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static OmemException inUse(Path dir, String holder) {
    return new OmemException(
        ErrorCode.CONFLICT,
        "the data directory "
            + dir
            + " is in use by another omem process"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")")
            + "; stop it or use a different --home");
  }

  private static Path key(Path dir) {
    return dir.toAbsolutePath().normalize();
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while locking the data directory");
    }
  }

  @Override
  public void close() {
    HELD.remove(key(dir), this);
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS drops the lock with the process anyway
    }
  }
}
