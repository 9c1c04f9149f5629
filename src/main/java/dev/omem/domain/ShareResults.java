package dev.omem.domain;

import java.util.List;

/** What the sharing calls answer, in ourmem's shapes. */
public final class ShareResults {
  private ShareResults() {}

  /** One share: the copy in the target space; {@code created} false when it was already there. */
  public record Shared(Memory copy, boolean created) {}

  /** {@code POST /v1/memories/batch-share}. */
  public record Batch(List<Memory> succeeded, List<Failure> failed) {}

  /** A memory that could not be shared, and why. */
  public record Failure(String memoryId, String error) {}

  /** {@code POST /v1/memories/share-all}. */
  public record All(int total, int shared, int skippedExisting, int failed) {}

  /** {@code POST /v1/memories/{id}/share-to-user}. */
  public record ToUser(
      String spaceId, String sharedCopyId, boolean spaceCreated, boolean invitationPending) {}

  /** {@code POST /v1/memories/share-all-to-user}: the bridging space and the share-all counts. */
  public record AllToUser(
      String spaceId, boolean spaceCreated, boolean invitationPending, All counts) {}

  /** {@code POST /v1/memories/{id}/unshare}: how many copies left the target space. */
  public record Unshared(String targetSpace, int removed) {}

  /**
   * {@code stale_info} of a shared copy: stale when the source's version moved past the copy's
   * {@code source_version} or the source was deleted.
   */
  public record StaleInfo(
      boolean isStale, long sourceVersion, Long currentSourceVersion, boolean sourceDeleted) {}

  /** Filters of a share-all: any of the categories, every tag, at least the importance. */
  public record Filters(List<String> categories, List<String> tags, Double minImportance) {}
}
