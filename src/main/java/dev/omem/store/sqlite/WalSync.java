package dev.omem.store.sqlite;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Group commit for the SQLite store: the writer commits with {@code synchronous=NORMAL} (into the
 * write-ahead log, no fsync) and each committed write is made durable here, by one fsync of the log
 * that covers every commit made before it began, shared by the writers that wait meanwhile. A call
 * returns only once an fsync that began after its commit has ended, so every answered write
 * survives a power cut as it did with {@code synchronous=FULL}; the fsync runs outside the writer
 * and, inside {@link #deferred}, outside the service's write lock, where FULL made every store hold
 * both through its own fsync (issue 19: the stores queued on that lock, sessions 17 and 21).
 */
final class WalSync {
  private final Path wal;

  /** Commits made so far, and the highest of them an ended fsync covers; guarded by this. */
  private long committed;

  private long durable;

  /** Whether an fsync is running; guarded by this. */
  private boolean syncing;

  /** The log as opened, and its file's identity then (SQLite may replace the file). */
  private FileChannel channel;

  private Object channelKey;

  private final ThreadLocal<long[]> lastOfThread = ThreadLocal.withInitial(() -> new long[1]);

  /** How deep the calling thread is in {@link #deferred}: its commits wait for its end. */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  WalSync(Path wal) {
    this.wal = wal;
  }

  /** Records a commit of the calling thread (called right after it, holding the writer). */
  synchronized void committed() {
    committed++;
    lastOfThread.get()[0] = committed;
  }

  /**
   * Whether the calling thread is inside {@link #deferred}, its commits made durable at its end.
   */
  boolean isDeferred() {
    return depth.get()[0] > 0;
  }

  /**
   * Runs {@code work}; the commits it makes on this thread are made durable when it returns (also
   * when it throws: what it committed is committed), not each at its end.
   */
  <T> T deferred(Supplier<T> work) {
    int[] d = depth.get();
    d[0]++;
    T out;
    try {
      out = work.get();
    } catch (RuntimeException e) {
      if (--d[0] == 0) {
        try {
          sync();
        } catch (RuntimeException s) {
          e.addSuppressed(s);
        }
      }
      throw e;
    }
    if (--d[0] == 0) {
      sync();
    }
    return out;
  }

  /** The last commit the calling thread made (0: none). */
  long lastCommitOfThisThread() {
    return lastOfThread.get()[0];
  }

  /** The highest commit an ended fsync covers. */
  synchronized long durableThrough() {
    return durable;
  }

  /**
   * Returns once every commit the calling thread made is durable: at once if one is already, else
   * after an fsync of the log begun after it (run by this thread, or by another that began one). No
   * monitor is held during the fsync, so commits go on and the next waiters queue for the next.
   */
  void sync() {
    syncThrough(lastCommitOfThisThread());
  }

  /** Returns once every commit made so far, by any thread, is durable. */
  void syncAll() {
    long all;
    synchronized (this) {
      all = committed;
    }
    syncThrough(all);
  }

  private void syncThrough(long mine) {
    while (true) {
      long upTo;
      synchronized (this) {
        while (durable < mine && syncing) {
          waitQuietly();
        }
        if (durable >= mine) {
          return;
        }
        syncing = true;
        upTo = committed;
      }
      IOException failed = null;
      try {
        channel().force(false);
      } catch (IOException e) {
        failed = e;
      }
      synchronized (this) {
        syncing = false;
        if (failed == null) {
          durable = Math.max(durable, upTo);
        }
        notifyAll();
      }
      if (failed != null) {
        throw new OmemException(
            ErrorCode.INTERNAL, "cannot make the store durable: " + failed.getMessage(), failed);
      }
    }
  }

  /**
   * The log, opened again if the file at its path is not the one opened (a log SQLite deleted and
   * made anew): an fsync of a replaced file would make nothing durable.
   */
  private synchronized FileChannel channel() throws IOException {
    Object key = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
    if (channel == null || !channel.isOpen() || !Objects.equals(key, channelKey)) {
      close();
      channel = FileChannel.open(wal, StandardOpenOption.READ, StandardOpenOption.WRITE);
      channelKey = key;
    }
    return channel;
  }

  private void waitQuietly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OmemException(ErrorCode.INTERNAL, "interrupted while the store was made durable");
    }
  }

  synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing: the writer's own close checkpoints the log
      }
      channel = null;
    }
  }
}
