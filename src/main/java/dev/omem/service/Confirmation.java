package dev.omem.service;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.store.MemoryWrite;
import java.time.Instant;

/**
 * When a candidate (a fact ingest extracted) becomes confirmed, and the write that records it
 * (issue 14). A candidate is confirmed when the same fact is said again in <em>another</em>
 * session, when it is stored on purpose ({@code memory_store} of the same fact), when it is fetched
 * by id ({@code memory_get}, {@code GET /v1/memories/{id}}, {@code omem get}), or when the user or
 * agent confirms it ({@code memory_update} with {@code confirm}, {@code omem confirm}). Appearing
 * in search results or in a hook's injection never confirms it: that would confirm whatever ranks
 * well.
 */
final class Confirmation {
  static final String RESTATED = "said again in another session";
  static final String STORED = "stored on purpose";
  static final String FETCHED = "fetched by id";
  static final String CONFIRMED = "confirmed by the user or agent";

  private Confirmation() {}

  /**
   * Why a restatement of {@code target} by {@code caller} confirms it, or null when it does not: an
   * explicit store always does; an extracted fact only from a different, known session (the same
   * session repeating itself, or a caller with no session, is no second witness).
   */
  static String byRestatement(Memory target, Caller caller, boolean explicit) {
    if (target == null || !target.unconfirmed()) {
      return null;
    }
    if (explicit) {
      return STORED;
    }
    String said = caller.sessionId();
    String first = target.sessionId();
    return said != null && first != null && !said.equals(first) ? RESTATED : null;
  }

  /** {@code m} confirmed, with the history step saying why; version and updated_at kept. */
  static Memory confirmed(Memory m) {
    return m.withTrust(m.trust().confirm());
  }

  /** Adds the rewrite of {@code m} confirmed and its history step to {@code w}. */
  static Memory confirm(MemoryWrite w, Memory m, Caller caller, String why, Instant at) {
    Memory c = confirmed(m);
    w.rewrite(c).history(c, step(caller, why, at));
    return c;
  }

  /** The history step of a confirmation. */
  static HistoryEntry step(Caller caller, String why, Instant at) {
    return new HistoryEntry(
        HistoryEntry.Action.CONFIRMED, at, caller.sessionId(), caller.agentId(), null, null, why);
  }
}
