package dev.omem.service;

import java.time.Instant;
import java.util.List;

/**
 * A search. Null parts take their defaults.
 *
 * @param limit 1 to {@link Limits#MAX_SEARCH_LIMIT}; default {@link Limits#DEFAULT_SEARCH_LIMIT}
 * @param scope {@code project} (default: the caller's project and global), {@code global}, {@code
 *     all}, or {@code project:<key>}
 * @param states state wire names to include; default active only
 * @param countAccess whether the top {@link Limits#ACCESS_COUNTED_RESULTS} results count as
 *     accessed: true for a search someone asked for, false for the hooks' automatic ones (they
 *     count what they inject)
 * @param spaces the spaces to search (ids, or {@code all}); null or empty for every space the
 *     caller can read
 * @param source only memories with this source; null for any
 * @param agentId only memories this agent wrote; null for any
 */
public record SearchRequest(
    String query,
    Integer limit,
    List<String> tags,
    String scope,
    List<String> categories,
    Double minScore,
    Instant after,
    Instant before,
    List<String> states,
    boolean includeTrace,
    boolean countAccess,
    List<String> spaces,
    String source,
    String agentId) {

  public SearchRequest(
      String query,
      Integer limit,
      List<String> tags,
      String scope,
      List<String> categories,
      Double minScore,
      Instant after,
      Instant before,
      List<String> states,
      boolean includeTrace,
      boolean countAccess,
      List<String> spaces) {
    this(
        query,
        limit,
        tags,
        scope,
        categories,
        minScore,
        after,
        before,
        states,
        includeTrace,
        countAccess,
        spaces,
        null,
        null);
  }

  public SearchRequest(
      String query,
      Integer limit,
      List<String> tags,
      String scope,
      List<String> categories,
      Double minScore,
      Instant after,
      Instant before,
      List<String> states,
      boolean includeTrace,
      boolean countAccess) {
    this(
        query,
        limit,
        tags,
        scope,
        categories,
        minScore,
        after,
        before,
        states,
        includeTrace,
        countAccess,
        null);
  }

  /** An explicit search: its top results count as accessed. */
  public SearchRequest(
      String query,
      Integer limit,
      List<String> tags,
      String scope,
      List<String> categories,
      Double minScore,
      Instant after,
      Instant before,
      List<String> states,
      boolean includeTrace) {
    this(
        query, limit, tags, scope, categories, minScore, after, before, states, includeTrace, true);
  }

  public static SearchRequest of(String query) {
    return new SearchRequest(query, null, null, null, null, null, null, null, null, false);
  }
}
