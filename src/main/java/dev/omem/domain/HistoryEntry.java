package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * One step in a memory's history: what changed it, when, and from which session. Every write leaves
 * one, and reconciliation never hard-deletes, so a memory's whole past can be shown. Bound by
 * Jackson as the wire shows it ({@code GET /v1/memories/{id}/history}), both ways.
 *
 * @param action what happened, one of {@link Action}'s wire names
 * @param relatedId the other memory of a reconciliation step (the one that superseded, merged,
 *     supported, ... this one), or null
 * @param note a short human-readable detail (e.g. the text merged in, the fields updated), or null
 */
public record HistoryEntry(
    @JsonProperty("action") Action action,
    @JsonProperty("at") Instant at,
    @JsonProperty("session_id") String sessionId,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("source") String source,
    @JsonProperty("related_id") String relatedId,
    @JsonProperty("note") String note) {

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

    @JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static Action fromWire(String s) {
      return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
