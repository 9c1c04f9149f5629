package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** What the sharing calls answer, in ourmem's shapes (bound by Jackson, snake_case names). */
public final class ShareResults {
  private ShareResults() {}

  /** One share: the copy in the target space; {@code created} false when it was already there. */
  public record Shared(Memory copy, boolean created) {}

  /** {@code POST /v1/memories/batch-share}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Batch(List<Memory> succeeded, List<Failure> failed) {}

  /** A memory that could not be shared, and why. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Failure(String memoryId, String error) {}

  /** {@code POST /v1/memories/share-all}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record All(int total, int shared, int skippedExisting, int failed) {}

  /** {@code POST /v1/memories/{id}/share-to-user}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ToUser(
      String spaceId, String sharedCopyId, boolean spaceCreated, boolean invitationPending) {}

  /** {@code POST /v1/memories/share-all-to-user}: the bridging space and the share-all counts. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AllToUser(
      String spaceId, boolean spaceCreated, boolean invitationPending, @JsonUnwrapped All counts) {}

  /** {@code POST /v1/memories/{id}/unshare}: how many copies left the target space. */
  @JsonPropertyOrder({"status", "target_space", "removed"})
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Unshared(String targetSpace, int removed) {
    @JsonProperty(value = "status", access = JsonProperty.Access.READ_ONLY)
    public String status() {
      return "unshared";
    }
  }

  /**
   * {@code stale_info} of a shared copy: stale when the source's version moved past the copy's
   * {@code source_version} or the source was deleted.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record StaleInfo(
      boolean isStale, long sourceVersion, Long currentSourceVersion, boolean sourceDeleted) {}

  /** Filters of a share-all: any of the categories, every tag, at least the importance. */
  public record Filters(List<String> categories, List<String> tags, Double minImportance) {}
}
