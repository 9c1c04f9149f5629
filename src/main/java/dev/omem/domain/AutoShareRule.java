package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
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
    // a category this build does not know (a newer server's) is dropped, not an error
    categories =
        categories == null
            ? List.of()
            : categories.stream().filter(java.util.Objects::nonNull).toList();
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Whether {@code m}, written to {@code space}, falls under this rule. */
  @JsonIgnore
  public boolean matches(Memory m) {
    return (sourceSpace == null || sourceSpace.equals(m.spaceId()))
        && (categories.isEmpty() || categories.contains(m.category()))
        && m.tags().containsAll(tags)
        && (minImportance == null || m.importance() >= minImportance);
  }
}
