package dev.omem.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Per-session state of the hooks: how far a transcript was captured, what was injected. */
public interface HookStateRepository {
  /** The byte offset up to which this session's transcript was captured, if it ever was. */
  OptionalLong offset(String tenantId, String sessionId, String transcriptPath);

  void saveOffset(
      String tenantId, String sessionId, String transcriptPath, long offset, Instant at);

  /** The keys of the memories this session was already shown. */
  Set<String> injected(String tenantId, String sessionId);

  /** Records that this session was shown these memories (keys already there stay as they are). */
  void addInjected(String tenantId, String sessionId, Collection<String> keys, Instant at);

  /** Forgets the state of sessions not touched since {@code before}; returns the rows removed. */
  int pruneBefore(Instant before);

  /** One key a session was shown, and when. */
  record Injected(String sessionId, String memoryKey, Instant at) {}

  /**
   * The keys starting with {@code prefix} shown to the tenant's sessions, newest first, at most
   * {@code limit} (the web UI's "what the hooks injected"). A store without it answers none.
   */
  default List<Injected> recentInjected(String tenantId, String prefix, int limit) {
    return List.of();
  }
}
