package dev.omem.service;

import dev.omem.store.HookStateRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the Claude Code hooks remember about each agent session, kept in the local store so that a
 * daemon restart forgets nothing: how far a transcript was captured, and which memories the session
 * was already shown. Not part of {@link MemoryService}: hooks run in the local daemon, next to the
 * store (a remote server cannot read the agent's transcript files anyway).
 */
public final class HookSessions {
  /** A session nobody touched for this long is over; its state is dropped. */
  public static final Duration KEEP = Duration.ofDays(30);

  private final HookStateRepository repo;
  private final Clock clock;
  private final Function<Caller, String> tenantOf;

  HookSessions(HookStateRepository repo, Clock clock, Function<Caller, String> tenantOf) {
    this.repo = repo;
    this.clock = clock;
    this.tenantOf = tenantOf;
  }

  /** The byte offset up to which the transcript was captured; 0 when it never was. */
  public long offset(Caller caller, String sessionId, String transcriptPath) {
    return repo.offset(tenantOf.apply(caller), sessionId, transcriptPath).orElse(0);
  }

  public void saveOffset(Caller caller, String sessionId, String transcriptPath, long offset) {
    repo.saveOffset(tenantOf.apply(caller), sessionId, transcriptPath, offset, clock.instant());
  }

  /** The keys of the memories this session was already shown. */
  public Set<String> injected(Caller caller, String sessionId) {
    return repo.injected(tenantOf.apply(caller), sessionId);
  }

  public void markInjected(Caller caller, String sessionId, Collection<String> keys) {
    repo.addInjected(tenantOf.apply(caller), sessionId, keys, clock.instant());
  }

  /**
   * The memories the hooks showed the caller's sessions lately, newest first, at most {@code
   * limit}: the id keys of {@code hooks.MemoryBlock} ({@value #ID_KEY} + id).
   */
  public List<HookInjection> recent(Caller caller, int limit) {
    return repo.recentInjected(tenantOf.apply(caller), ID_KEY, limit).stream()
        .map(
            i -> new HookInjection(i.sessionId(), i.memoryKey().substring(ID_KEY.length()), i.at()))
        .toList();
  }

  /** The prefix of a memory's id key in a session's shown set (hooks.MemoryBlock.idKey). */
  static final String ID_KEY = "m:";

  /** Drops the state of sessions quiet for longer than {@link #KEEP}; returns the rows removed. */
  public int prune() {
    return repo.pruneBefore(clock.instant().minus(KEEP));
  }
}
