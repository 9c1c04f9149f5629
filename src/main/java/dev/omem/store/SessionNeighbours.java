package dev.omem.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The memory stored next to another in the same session (a search's context expansion). */
public interface SessionNeighbours {
  /**
   * For each given memory that belongs to a session, the memory stored right after it (or, with
   * {@code after} false, right before it) in the same session, by storage order: id to neighbour.
   */
  Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after);

  /**
   * The text of the memory stored last in a session (any state: a turn's context is what was said
   * before it, even if later superseded), or empty when the session has none.
   */
  Optional<String> lastContent(String tenantId, String sessionId);
}
