package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.service.BatchDeleteResult;

/**
 * The answer of a batch delete: {@code would_delete} alone for a dry run, else {@code deleted} and
 * {@code mode} ({@code ids} or {@code filter}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchDeleteAnswer(
    Long deleted, @JsonProperty("would_delete") Long wouldDelete, String mode) {

  public static BatchDeleteAnswer of(BatchDeleteResult r) {
    return r.wouldDelete() != null
        ? new BatchDeleteAnswer(null, r.wouldDelete(), null)
        : new BatchDeleteAnswer(r.deleted(), null, r.mode());
  }

  /** The result; an ourmem server that names no mode deleted the way it was asked. */
  public BatchDeleteResult result(boolean byIds) {
    return new BatchDeleteResult(
        deleted, wouldDelete, mode != null ? mode : byIds ? "ids" : "filter");
  }
}
