package dev.omem.service;

import java.util.List;

/**
 * A page of memories, filtered and sorted as {@code GET /v1/memories}. Null = default.
 *
 * @param space one space the caller can read; null for its personal space
 * @param tier {@code core}, {@code working} or {@code peripheral}; null for every tier
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
    String tier) {

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
