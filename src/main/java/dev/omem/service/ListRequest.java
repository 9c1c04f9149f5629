package dev.omem.service;

import java.util.List;

/**
 * A page of memories, filtered and sorted as {@code GET /v1/memories}. Null = default.
 *
 * @param space one space the caller can read; null for its personal space
 * @param narrowing the web UI's further filters (tier, agent, source, dates); null for none
 */
public record ListRequest(
    Integer limit,
    Integer offset,
    String category,
    List<String> tags,
    String scope,
    String state,
    String memoryType,
    String sort,
    String order,
    String space,
    Narrowing narrowing) {

  /**
   * Filters the REST dialect's list has not: one tier, one agent, one source, a creation window
   * ({@code createdFrom} inclusive, {@code createdBefore} exclusive). Null parts do not filter.
   */
  public record Narrowing(
      String tier,
      String agentId,
      String source,
      java.time.Instant createdFrom,
      java.time.Instant createdBefore) {

    /** Only a tier (the REST list's {@code tier}); null when no tier is asked for. */
    public static Narrowing tierOnly(String tier) {
      return tier == null ? null : new Narrowing(tier, null, null, null, null);
    }
  }

  /** The tier asked for, or null. */
  public String tier() {
    return narrowing == null ? null : narrowing.tier();
  }

  public ListRequest(
      Integer limit,
      Integer offset,
      String category,
      List<String> tags,
      String scope,
      String state,
      String memoryType,
      String sort,
      String order,
      String space) {
    this(limit, offset, category, tags, scope, state, memoryType, sort, order, space, null);
  }

  public ListRequest(
      Integer limit,
      Integer offset,
      String category,
      List<String> tags,
      String scope,
      String state,
      String memoryType,
      String sort,
      String order) {
    this(limit, offset, category, tags, scope, state, memoryType, sort, order, null, null);
  }

  public static ListRequest firstPage() {
    return new ListRequest(null, null, null, null, null, null, null, null, null);
  }
}
