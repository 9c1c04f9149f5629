package dev.omem.cli;

import dev.omem.service.MemoryService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The service of a long-lived client (an {@code omem mcp} session) that had to open the store
 * itself because no daemon could run: it gives the store back (closes it, releasing the lock) after
 * {@code idle} without a call, and opens whatever {@code opener} picks on the next call: the
 * daemon, once one can run, else the store again. So a client that fell back never keeps the home
 * from every other client for its whole life.
 */
final class IdleReleasingService extends ForwardingMemoryService {
  private final Supplier<ServiceOpener.Opened> opener;
  private final Duration idle;
  private final ScheduledExecutorService timer;

  private MemoryService current;

  /** Whether {@link #current} is the store in this process: only that one is given back. */
  private boolean inProcess;

  private int inUse;
  private long lastUse = System.nanoTime();

  IdleReleasingService(Supplier<ServiceOpener.Opened> opener, Duration idle) {
    this.opener = opener;
    this.idle = idle;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-store-release");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, idle.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::releaseIfIdle, every, every, TimeUnit.MILLISECONDS);
  }

  private synchronized void releaseIfIdle() {
    if (current != null
        && inProcess
        && inUse == 0
        && System.nanoTime() - lastUse >= idle.toNanos()) {
      current.close();
      current = null;
    }
  }

  @Override
  protected <T> T with(Function<MemoryService, T> call) {
    MemoryService s;
    synchronized (this) {
      if (current == null) {
        ServiceOpener.Opened o = opener.get();
        current = o.service();
        inProcess = o.inProcess();
      }
      inUse++;
      s = current;
    }
    try {
      return call.apply(s);
    } finally {
      synchronized (this) {
        inUse--;
        lastUse = System.nanoTime();
      }
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
