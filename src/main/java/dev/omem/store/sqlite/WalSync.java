package dev.omem.store.sqlite;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Group commit for the SQLite store: the writer commits with {@code synchronous=NORMAL} (into the
 * write-ahead log, no fsync) and each committed write is made durable here, by one fsync of the log
 * that covers every commit made before it began, shared by the writers that wait meanwhile. A call
 * returns only once an fsync that began after its commit has ended, so every answered write
 * survives a power cut as it did with {@code synchronous=FULL}; the fsync runs outside the writer
 * (and outside the service's write lock), where FULL made every store hold both through its own
 * fsync: 5-15 ms a commit on this machine's disk under load 35, against 0.1 ms without (issue 19,
 * session 17).
 */
final class WalSync {
  private final Path wal;

  /** Commits made so far, and the highest of them an ended fsync covers; guarded by this. */
  private long committed;

  private long durable;

  /** Whether an fsync is running; guarded by this. */
  private boolean syncing;

  private FileChannel channel;

  private final ThreadLocal<long[]> lastOfThread = ThreadLocal.withInitial(() -> new long[1]);

  WalSync(Path wal) {
    this.wal = wal;
  }

  /** Records a commit of the calling thread (called right after it, holding the writer). */
  synchronized void committed() {
    committed++;
    lastOfThread.get()[0] = committed;
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
      FileChannel c;
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
        c = channel();
        c.force(false);
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

  private synchronized FileChannel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = FileChannel.open(wal, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
    }
  }
}
