package dev.omem.service;

import java.util.List;

/**
 * A memory to store.
 *
 * @param category a category's wire name, or null to let the classifier choose
 * @param scope {@code global}, {@code project}, {@code project:<key>}, or null for the default
 *     (DESIGN.md decision 6)
 * @param importance in [0, 1], or null for the default 0.5
 * @param space the space to store into (the caller must be able to write there), or null for the
 *     caller's personal space
 */
public record StoreRequest(
    String content,
    List<String> tags,
    String source,
    String category,
    String scope,
    Double importance,
    String space) {

  public StoreRequest(
      String content,
      List<String> tags,
      String source,
      String category,
      String scope,
      Double importance) {
    this(content, tags, source, category, scope, importance, null);
  }

  public static StoreRequest of(String content) {
    return new StoreRequest(content, null, null, null, null, null);
  }
}
