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

  /** A confirmed memory with nothing flagged (what every write path made before issue 14). */
  public Memory(
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
      Instant expiresAt) {
    this(
        id,
        tenantId,
        spaceId,
        content,
        category,
        memoryType,
        state,
        tier,
        importance,
        confidence,
        accessCount,
        lastAccessedAt,
        tags,
        scope,
        agentId,
        sessionId,
        source,
        relations,
        supersededBy,
        invalidatedAt,
        provenance,
        version,
        createdAt,
        updatedAt,
        expiresAt,
        Trust.CONFIRMED);
  }

  /** A candidate: extracted, not confirmed yet. */
  public boolean unconfirmed() {
    return !trust.confirmed();
  }

  /** Flagged by the injection screen: never injected by a hook. */
  public boolean flagged() {
    return trust.flagged();
  }

  /** This memory with another trust (version and {@code updated_at} kept: not an edit). */
  public Memory withTrust(Trust newTrust) {
    return new Memory(
        id,
        tenantId,
        spaceId,
        content,
        category,
        memoryType,
        state,
        tier,
        importance,
        confidence,
        accessCount,
        lastAccessedAt,
        tags,
        scope,
        agentId,
        sessionId,
        source,
        relations,
        supersededBy,
        invalidatedAt,
        provenance,
        version,
        createdAt,
        updatedAt,
        expiresAt,
        newTrust);
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
    return new Memory(
        id,
        tenantId,
        spaceId,
        newContent != null ? newContent : content,
        newCategory != null ? newCategory : category,
        memoryType,
        newState != null ? newState : state,
        tier,
        newImportance != null ? newImportance : importance,
        confidence,
        accessCount,
        lastAccessedAt,
        newTags != null ? newTags : tags,
        scope,
        agentId,
        sessionId,
        source,
        relations,
        supersededBy,
        invalidatedAt,
        provenance,
        version + 1,
        createdAt,
        at,
        expiresAt,
        trust);
  }

  /** This memory in another tier (a lifecycle change: version and {@code updated_at} kept). */
  public Memory withTier(Tier newTier) {
    return copy(
        state,
        newTier,
        confidence,
        relations,
        supersededBy,
        invalidatedAt,
        version,
        updatedAt,
        expiresAt);
  }

  /** This memory with another {@code expires_at}. */
  public Memory withExpiresAt(Instant newExpiresAt) {
    return copy(
        state,
        tier,
        confidence,
        relations,
        supersededBy,
        invalidatedAt,
        version,
        updatedAt,
        newExpiresAt);
  }

  /** This memory with its confidence raised by a restatement (SUPPORT), capped at 1. */
  public Memory supported(double by, Instant at) {
    return copy(
        state,
        tier,
        Math.min(1.0, confidence + by),
        relations,
        supersededBy,
        invalidatedAt,
        version,
        at,
        expiresAt);
  }

  /**
   * This memory archived because {@code newId} replaces it (SUPERSEDE): {@code invalidated_at} and
   * {@code superseded_by} set, the version one higher.
   */
  public Memory supersededBy(String newId, Instant at) {
    return copy(
        MemoryState.ARCHIVED,
        tier,
        confidence,
        withRelation("superseded_by", newId),
        newId,
        at,
        version + 1,
        at,
        expiresAt);
  }

  /** This memory with {@code otherId} added under relation {@code kind}. */
  public Memory relatedTo(String kind, String otherId, Instant at) {
    return copy(
        state,
        tier,
        confidence,
        withRelation(kind, otherId),
        supersededBy,
        invalidatedAt,
        version,
        at,
        expiresAt);
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

  private Memory copy(
      MemoryState newState,
      Tier newTier,
      double newConfidence,
      Map<String, List<String>> newRelations,
      String newSupersededBy,
      Instant newInvalidatedAt,
      long newVersion,
      Instant newUpdatedAt,
      Instant newExpiresAt) {
    return new Memory(
        id,
        tenantId,
        spaceId,
        content,
        category,
        memoryType,
        newState,
        newTier,
        importance,
        newConfidence,
        accessCount,
        lastAccessedAt,
        tags,
        scope,
        agentId,
        sessionId,
        source,
        newRelations,
        newSupersededBy,
        newInvalidatedAt,
        provenance,
        newVersion,
        createdAt,
        newUpdatedAt,
        newExpiresAt,
        trust);
  }

  /** The project key of a {@code project:<key>} scope, or null for a global memory. */
  public String project() {
    return scope != null && scope.startsWith(Scope.PROJECT_PREFIX)
        ? scope.substring(Scope.PROJECT_PREFIX.length())
        : null;
  }
}
