package dev.omem.store;

import java.util.Collection;
import java.util.Map;

/** The memory stored next to another in the same session (a search's context expansion). */
public interface SessionNeighbours {
  /**
   * For each given memory that belongs to a session, the memory stored right after it (or, with
   * {@code after} false, right before it) in the same session, by storage order: id to neighbour.
   */
  Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after);
}
