package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import java.util.List;

/**
 * The body of the sharing routes: share, pull, unshare, share-to-user, batch-share, share-all and
 * share-all-to-user each use the fields they name (docs/rest-api.md "Spaces and sharing").
 */
public record ShareBody(
    @JsonProperty("memory_ids") List<String> memoryIds,
    @JsonProperty("target_space") String targetSpace,
    @JsonProperty("source_space") String sourceSpace,
    @JsonProperty("target_user") String targetUser,
    String note,
    Filters filters) {

  /** share-all's {@code filters}. */
  public record Filters(
      List<String> categories,
      List<String> tags,
      @JsonProperty("min_importance") Double minImportance) {}

  public static ShareBody toSpace(String targetSpace, String note) {
    return new ShareBody(null, targetSpace, null, null, note, null);
  }

  public static ShareBody fromSpace(String sourceSpace) {
    return new ShareBody(null, null, sourceSpace, null, null, null);
  }

  public static ShareBody toUser(String targetUser, String note) {
    return new ShareBody(null, null, null, targetUser, note, null);
  }

  public static ShareBody batch(List<String> ids, String targetSpace) {
    return new ShareBody(ids, targetSpace, null, null, null, null);
  }

  public static ShareBody all(String targetSpace, String targetUser, ShareResults.Filters f) {
    Filters filters = f == null ? null : new Filters(f.categories(), f.tags(), f.minImportance());
    return new ShareBody(null, targetSpace, null, targetUser, null, filters);
  }

  /** {@code target_space}, which the route needs. */
  public String requiredTargetSpace() {
    return required("target_space", targetSpace);
  }

  public String requiredSourceSpace() {
    return required("source_space", sourceSpace);
  }

  public String requiredTargetUser() {
    return required("target_user", targetUser);
  }

  public ShareResults.Filters shareFilters() {
    return filters == null
        ? null
        : new ShareResults.Filters(filters.categories(), filters.tags(), filters.minImportance());
  }

  private static String required(String field, String v) {
    if (v == null || v.isBlank()) {
      throw OmemException.invalid(field + " is required");
    }
    return v;
  }
}
