package dev.omem.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One memory, with ourmem's Memory JSON field names (see DESIGN.md "The memory record"). The
 * embedding vector is not part of this record: it lives in the store beside it.
 *
 * @param relations relation kind (supersedes, contextualizes, supports, contradicts) to ids
 * @param provenance where a shared copy came from; empty for an original
 * @param trust confirmed or a candidate, and the injection screen's flag (issue 14)
 */
public record Memory(
    String id,
    String tenantId,
    String spaceId,
    String content,
    Category category,
    MemoryType memoryType,
    MemoryState state,
    Tier tier,
    double importance,
    double confidence,
    long accessCount,
    Instant lastAccessedAt,
    List<String> tags,
    String scope,
    String agentId,
    String sessionId,
    String source,
    Map<String, List<String>> relations,
    String supersededBy,
    Instant invalidatedAt,
    Map<String, Object> provenance,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    Trust trust) {

  public Memory {
    tags = tags == null ? List.of() : List.copyOf(tags);
    relations = relations == null ? Map.of() : Map.copyOf(relations);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    trust = trust == null ? Trust.CONFIRMED : trust;
  }

  /** A candidate: extracted, not confirmed yet. */
  public boolean unconfirmed() {
    return !trust.confirmed();
  }

  /** Flagged by the injection screen: never injected by a hook. */
  public boolean flagged() {
    return trust.flagged();
  }

  /** A builder with nothing set but defaults: version 1, confirmed, no tags or relations. */
  public static MemoryBuilder builder() {
    return new MemoryBuilder();
  }

  /** A builder holding this memory's fields, to change some of them. */
  public MemoryBuilder toBuilder() {
    return new MemoryBuilder(this);
  }

  /** This memory with another trust (version and {@code updated_at} kept: not an edit). */
  public Memory withTrust(Trust newTrust) {
    return toBuilder().trust(newTrust).build();
  }

  /**
   * This memory after an edit: the given fields replaced (null keeps the current value), the
   * version one higher, and {@code updated_at} set to {@code at}.
   */
  public Memory edited(
      String newContent,
      List<String> newTags,
      Category newCategory,
      Double newImportance,
      MemoryState newState,
      Instant at) {
    return toBuilder()
        .content(newContent != null ? newContent : content)
        .category(newCategory != null ? newCategory : category)
        .state(newState != null ? newState : state)
        .importance(newImportance != null ? newImportance : importance)
        .tags(newTags != null ? newTags : tags)
        .version(version + 1)
        .updatedAt(at)
        .build();
  }

  /** This memory in another tier (a lifecycle change: version and {@code updated_at} kept). */
  public Memory withTier(Tier newTier) {
    return toBuilder().tier(newTier).build();
  }

  /** This memory with another {@code expires_at}. */
  public Memory withExpiresAt(Instant newExpiresAt) {
    return toBuilder().expiresAt(newExpiresAt).build();
  }

  /** This memory with its confidence raised by a restatement (SUPPORT), capped at 1. */
  public Memory supported(double by, Instant at) {
    return toBuilder().confidence(Math.min(1.0, confidence + by)).updatedAt(at).build();
  }

  /**
   * This memory archived because {@code newId} replaces it (SUPERSEDE): {@code invalidated_at} and
   * {@code superseded_by} set, the version one higher.
   */
  public Memory supersededBy(String newId, Instant at) {
    return toBuilder()
        .state(MemoryState.ARCHIVED)
        .relations(withRelation("superseded_by", newId))
        .supersededBy(newId)
        .invalidatedAt(at)
        .version(version + 1)
        .updatedAt(at)
        .build();
  }

  /** This memory with {@code otherId} added under relation {@code kind}. */
  public Memory relatedTo(String kind, String otherId, Instant at) {
    return toBuilder().relations(withRelation(kind, otherId)).updatedAt(at).build();
  }

  /** The relations map with {@code otherId} added under {@code kind} (no repeats). */
  public Map<String, List<String>> withRelation(String kind, String otherId) {
    Map<String, List<String>> out = new java.util.TreeMap<>(relations);
    List<String> ids = new java.util.ArrayList<>(out.getOrDefault(kind, List.of()));
    if (!ids.contains(otherId)) {
      ids.add(otherId);
    }
    out.put(kind, ids);
    return out;
  }

  /** The project key of a {@code project:<key>} scope, or null for a global memory. */
  public String project() {
    return scope != null && scope.startsWith(Scope.PROJECT_PREFIX)
        ? scope.substring(Scope.PROJECT_PREFIX.length())
        : null;
  }
}
