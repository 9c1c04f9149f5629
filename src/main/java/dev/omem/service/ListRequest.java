package dev.omem.service;

import java.util.List;

/** A page of memories, filtered and sorted as {@code GET /v1/memories}. Null = default. */
public record ListRequest(
    Integer limit,
    Integer offset,
    String category,
    List<String> tags,
    String scope,
    String state,
    String memoryType,
    String sort,
    String order) {

  public static ListRequest firstPage() {
    return new ListRequest(null, null, null, null, null, null, null, null, null);
  }
}
