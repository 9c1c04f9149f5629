package dev.omem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.hooks.CaptureQueue;
import dev.omem.hooks.HookHandler;
import dev.omem.hooks.HookSettings;
import dev.omem.http.HookResponder;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.Caller;
import dev.omem.service.HookSessions;
import dev.omem.service.MemoryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks of one data dir, in the daemon or in-process (issue 17): those of the local store, and
 * one {@link HookHandler#remote} per remote server a hook named ({@code OMEM_API_URL}, {@code
 * OMEM_API_KEY}), each over a {@link RemoteMemoryService} of that server. Every one keeps its
 * session state in this data dir's store and queues its captures in {@code <home>/capture-queue}.
 *
 * <p>In the daemon, {@link #drainEvery} sends what the queue holds for each server a hook named
 * since the daemon started: a capture made while the server was down reaches it without waiting for
 * the next hook. The key of a server is known only from a hook's request, never from a file.
 */
final class HookHandlers implements HookResponder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HookHandlers.class);

  /**
   * A minute: a server back from an outage gets the queued captures within one, and a daemon with
   * an empty queue looks at one folder per minute.
   */
  static final Duration DRAIN_INTERVAL = Duration.ofMinutes(1);

  private final HookSessions sessions;
  private final HookSettings settings;
  private final CaptureQueue queue;
  private final HookHandler localHooks;
  private final Map<HookResponder.Server, Remote> remotes = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  private record Remote(HookHandler hooks, RemoteMemoryService service) {}

  /**
   * The budgets a remote SessionStart and UserPromptSubmit wait on the server within, and the
   * remote client's timeout for one attempt of a call (a capture's send).
   */
  record Budgets(Duration sessionStart, Duration prompt, Duration callTimeout) {
    /** The 2 s and 1 s; the remote client's default timeout. */
    static final Budgets DEFAULT =
        new Budgets(
            HookHandler.SESSION_START_BUDGET,
            HookHandler.PROMPT_BUDGET,
            RemoteConfig.DEFAULT_TIMEOUT);
  }

  private final Budgets budgets;

  HookHandlers(MemoryService local, HookSessions sessions, HookSettings settings, Path home) {
    this(local, sessions, settings, home, Budgets.DEFAULT);
  }

  HookHandlers(
      MemoryService local,
      HookSessions sessions,
      HookSettings settings,
      Path home,
      Budgets budgets) {
    this.budgets = budgets;
    this.sessions = sessions;
    this.settings = settings;
    this.queue = new CaptureQueue(home);
    this.localHooks = new HookHandler(local, sessions, settings);
  }

  /** The local store's hooks. */
  HookHandler local() {
    return localHooks;
  }

  @Override
  public Object answer(String event, Caller caller, JsonNode hookInput) {
    return localHooks.handle(event, caller, hookInput);
  }

  @Override
  public Object answer(String event, Caller caller, JsonNode hookInput, Server server) {
    return server == null
        ? answer(event, caller, hookInput)
        : remote(server).handle(event, caller, hookInput);
  }

  /** The hooks of {@code server}, made at its first hook. */
  HookHandler remote(Server server) {
    return remotes
        .computeIfAbsent(
            server,
            s -> {
              // Checked here, so a bad URL is the hook's error, not the daemon's.
              RemoteMemoryService service =
                  new RemoteMemoryService(
                      RemoteConfig.of(s.url(), s.apiKey()).withTimeout(budgets.callTimeout()));
              String id = CaptureQueue.serverId(s.url(), s.apiKey());
              return new Remote(
                  HookHandler.remote(
                      service,
                      sessions,
                      settings,
                      queue,
                      id,
                      budgets.sessionStart(),
                      budgets.prompt()),
                  service);
            })
        .hooks();
  }

  /** Every {@code interval}, the queue's captures for each known server sent (the daemon). */
  synchronized void drainEvery(Duration interval) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-capture-queue");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (!queue.isEmpty()) {
              remotes.values().forEach(r -> r.hooks().drainQueueLater());
            }
          } catch (RuntimeException e) {
            LOG.warn("hooks: the capture queue's timer failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Waits until every capture queued so far is done, local and remote (tests, in-process). */
  boolean awaitCaptures(Duration timeout) {
    boolean all = localHooks.awaitCaptures(timeout);
    for (Remote r : remotes.values()) {
      all &= r.hooks().awaitCaptures(timeout);
    }
    return all;
  }

  /** Lets captures finish, then releases the remote clients. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    localHooks.close();
    for (Remote r : remotes.values()) {
      r.hooks().close();
      r.service().close();
    }
  }
}
