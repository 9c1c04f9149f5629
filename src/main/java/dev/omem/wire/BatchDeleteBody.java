package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.domain.OmemException;
import dev.omem.service.BatchDeleteRequest;
import java.util.List;

/**
 * The body of {@code POST /v1/memories/batch-delete}: {@code memory_ids}, or a {@code filter} with
 * {@code confirm} (false: only count what would go).
 */
public record BatchDeleteBody(
    @JsonProperty("memory_ids") List<String> memoryIds, Filter filter, Boolean confirm) {

  /** What a filtered delete matches; {@code before} is an RFC 3339 time. */
  public record Filter(
      String source,
      List<String> tags,
      String category,
      @JsonProperty("memory_type") String memoryType,
      String state,
      String before) {}

  public static BatchDeleteBody of(BatchDeleteRequest r) {
    if (r.memoryIds() != null && !r.memoryIds().isEmpty()) {
      return new BatchDeleteBody(r.memoryIds(), null, null);
    }
    Filter f =
        new Filter(
            r.source(),
            r.tags(),
            r.category(),
            r.memoryType(),
            r.state(),
            r.before() == null ? null : r.before().toString());
    return new BatchDeleteBody(null, f, r.confirm());
  }

  public BatchDeleteRequest request() {
    if (memoryIds != null) {
      if (memoryIds.isEmpty()) {
        throw OmemException.invalid("memory_ids is empty: name at least one memory");
      }
      return BatchDeleteRequest.ids(memoryIds);
    }
    if (filter == null) {
      throw OmemException.invalid("give memory_ids (a list) or filter (an object)");
    }
    return new BatchDeleteRequest(
        null,
        filter.source(),
        filter.tags(),
        filter.category(),
        filter.memoryType(),
        filter.state(),
        WireJson.time("before", filter.before()),
        Boolean.TRUE.equals(confirm));
  }
}
