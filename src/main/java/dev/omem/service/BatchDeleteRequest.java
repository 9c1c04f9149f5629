package dev.omem.service;

import java.time.Instant;
import java.util.List;

/**
 * ourmem's batch delete: either {@code memoryIds}, or a filter (null parts do not filter) that
 * deletes only with {@code confirm} and otherwise reports how many it would delete.
 */
public record BatchDeleteRequest(
    List<String> memoryIds,
    String source,
    List<String> tags,
    String category,
    String memoryType,
    String state,
    Instant before,
    boolean confirm) {

  public static BatchDeleteRequest ids(List<String> ids) {
    return new BatchDeleteRequest(ids, null, null, null, null, null, null, true);
  }
}
