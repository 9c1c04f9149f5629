package dev.omem.hooks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long an injecting hook may wait on a remote server (issue 17): SessionStart {@link
 * #SESSION_START}, UserPromptSubmit {@link #PROMPT}. Calls started together run at once, each
 * awaited only until the hook's deadline; one that did not answer by then (a slow or dead server)
 * gives its fallback and the hook answers with what it has. The call itself goes on and its answer
 * is dropped: the client's own timeouts end it.
 *
 * <p>{@link #NONE} waits as long as the call takes: the local store answers in milliseconds.
 */
final class HookBudget {
  private static final Logger LOG = LoggerFactory.getLogger(HookBudget.class);

  /** The budgets: what a user waits at the start of a session, and on each prompt. */
  static final Duration SESSION_START = Duration.ofSeconds(2);

  static final Duration PROMPT = Duration.ofSeconds(1);

  /** No deadline: calls run on the hook's thread. */
  static final HookBudget NONE = new HookBudget(null, null, null);

  private final ExecutorService calls;
  private final Duration sessionStart;
  private final Duration prompt;

  private HookBudget(ExecutorService calls, Duration sessionStart, Duration prompt) {
    this.calls = calls;
    this.sessionStart = sessionStart;
    this.prompt = prompt;
  }

  /**
   * Budgeted calls, on threads of their own (daemon threads: a stalled one never holds the JVM),
   * within {@code sessionStart} and {@code prompt} ({@link #SESSION_START}, {@link #PROMPT}).
   */
  static HookBudget remote(Duration sessionStart, Duration prompt) {
    return new HookBudget(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "omem-hook-call");
              t.setDaemon(true);
              return t;
            }),
        sessionStart,
        prompt);
  }

  /** A deadline for the calls of one SessionStart, from now. */
  Deadline sessionStart() {
    return start(sessionStart);
  }

  /** A deadline for the calls of one UserPromptSubmit, from now. */
  Deadline prompt() {
    return start(prompt);
  }

  private Deadline start(Duration budget) {
    return new Deadline(calls == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos());
  }

  /** The calls of one hook, against one deadline. */
  final class Deadline {
    private final long at;

    private Deadline(long at) {
      this.at = at;
    }

    /** {@code call} started now; its answer is taken with {@link Pending#orElse}. */
    <T> Pending<T> start(Supplier<T> call) {
      if (calls == null) {
        return new Pending<>(CompletableFuture.completedFuture(call.get()), this);
      }
      return new Pending<>(CompletableFuture.supplyAsync(call, calls), this);
    }

    /** Whether the deadline passed. */
    boolean passed() {
      return calls != null && System.nanoTime() >= at;
    }
  }

  /** A started call. */
  static final class Pending<T> {
    private final CompletableFuture<T> f;
    private final Deadline deadline;

    private Pending(CompletableFuture<T> f, Deadline deadline) {
      this.f = f;
      this.deadline = deadline;
    }

    /**
     * The call's answer if it came before the deadline; else {@code fallback}. A remote call that
     * failed gives the fallback too (a hook answers with what it has); a local one throws, as
     * before.
     */
    T orElse(T fallback) {
      if (deadline.at == Long.MAX_VALUE) {
        return f.join();
      }
      long left = deadline.at - System.nanoTime();
      try {
        return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.info("hooks: the memory server did not answer within the hook's budget");
        return fallback;
      } catch (ExecutionException e) {
        LOG.info("hooks: the memory server failed a hook's call: {}", e.getCause().toString());
        return fallback;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fallback;
      }
    }
  }

  /** Stops the threads; calls still running end with their client's timeouts. */
  void close() {
    if (calls != null) {
      calls.shutdownNow();
    }
  }
}
