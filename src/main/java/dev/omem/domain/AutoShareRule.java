package dev.omem.domain;

import java.time.Instant;
import java.util.List;

/**
 * A rule of a space: new memories of its members that match it are shared into the space.
 *
 * @param sourceSpace the space the memories are written to (a member's personal space when null)
 * @param categories any of these categories (empty: any)
 * @param tags every one of these tags (empty: any)
 * @param minImportance at least this importance (null: any)
 * @param requireApproval kept from ourmem's shape; omem shares at once and marks such copies {@code
 *     pending_approval} in their provenance for an admin to review
 */
public record AutoShareRule(
    String id,
    String spaceId,
    String sourceSpace,
    List<Category> categories,
    List<String> tags,
    Double minImportance,
    boolean requireApproval,
    String createdBy,
    Instant createdAt) {

  public AutoShareRule {
    categories = categories == null ? List.of() : List.copyOf(categories);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Whether {@code m}, written to {@code space}, falls under this rule. */
  public boolean matches(Memory m) {
    return (sourceSpace == null || sourceSpace.equals(m.spaceId()))
        && (categories.isEmpty() || categories.contains(m.category()))
        && m.tags().containsAll(tags)
        && (minImportance == null || m.importance() >= minImportance);
  }
}
