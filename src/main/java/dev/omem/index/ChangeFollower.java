package dev.omem.index;

import dev.omem.store.ChangeSignal;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's index following a change log other nodes write too: catches up at each wake-up
 * of the {@link ChangeSignal} and at least every {@code poll}. The writes this node takes catch the
 * index up themselves before they return ({@code MemoryWriter}).
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

  /**
   * Polling beside LISTEN: only a safety net for a lost notification, so once a second (the goal
   * for a write to be searchable on every node).
   */
  public static final Duration POLL_WITH_SIGNAL = Duration.ofSeconds(1);

  /**
   * Polling alone: 200 ms keeps a write's p99 to reach another node under the 1 s goal, at five
   * indexed reads of a few rows a second per node.
   */
  public static final Duration POLL_ALONE = Duration.ofMillis(200);

  private final Supplier<IndexSynchronizer> index;
  private final long pollMs;
  private final Thread thread;
  private final Object monitor = new Object();
  private boolean woken;
  private volatile boolean closed;

  private ChangeFollower(Supplier<IndexSynchronizer> index, ChangeSignal signal, Duration poll) {
    this.index = index;
    this.pollMs = poll.toMillis();
    this.thread = new Thread(this::loop, "omem-follow");
    thread.setDaemon(true);
    signal.onChange(this::wake);
  }

  /** Starts following; {@code poll} is the longest wait between two catch-ups. */
  public static ChangeFollower start(
      Supplier<IndexSynchronizer> index, ChangeSignal signal, Duration poll) {
    ChangeFollower f = new ChangeFollower(index, signal, poll);
    f.thread.start();
    return f;
  }

  /** Another node committed a change: catch up now. */
  public void wake() {
    synchronized (monitor) {
      woken = true;
      monitor.notifyAll();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        synchronized (monitor) {
          if (!woken) {
            monitor.wait(pollMs);
          }
          woken = false;
        }
        if (!closed) {
          index.get().catchUp();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The store did not answer (a restarting database): the next round tries again. A close
        // that interrupts a read is no fault (see IngestWorkerCloseTest).
        if (!closed) {
          LOG.warn("following the change log: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
