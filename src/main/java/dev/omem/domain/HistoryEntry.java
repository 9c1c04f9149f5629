package dev.omem.domain;

import java.time.Instant;

/**
 * One step in a memory's history: what changed it, when, and from which session. Every write leaves
 * one, and reconciliation never hard-deletes, so a memory's whole past can be shown.
 *
 * @param action what happened, one of {@link Action}'s wire names
 * @param relatedId the other memory of a reconciliation step (the one that superseded, merged,
 *     supported, ... this one), or null
 * @param note a short human-readable detail (e.g. the text merged in, the fields updated), or null
 */
public record HistoryEntry(
    Action action,
    Instant at,
    String sessionId,
    String agentId,
    String source,
    String relatedId,
    String note) {

  /** What a history step did to its memory. */
  public enum Action {
    CREATED,
    UPDATED,
    DELETED,
    RESTORED,
    ARCHIVED,
    TIER_CHANGED,
    // reconciliation decisions, as they affected this memory
    SKIPPED,
    SUPPORTED,
    MERGED,
    SUPERSEDED,
    CONTRADICTED,
    CONTEXTUALIZED,
    // sharing: a copy made of this memory into a space, or that copy removed
    SHARED,
    UNSHARED,
    // trust (issue 14): a candidate confirmed (the note says how)
    CONFIRMED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Action fromWire(String s) {
      return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
