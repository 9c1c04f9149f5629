package dev.omem.wire;

import dev.omem.service.UpdateRequest;
import java.util.List;

/**
 * The body of {@code PUT /v1/memories/{id}}; {@code confirm} is omem's trust extension, {@code
 * version} the version the writer read (optimistic concurrency, issue 17; like every null field,
 * left out when null, so an ourmem server sees the body it knows).
 */
public record MemoryUpdateBody(
    String content,
    List<String> tags,
    String state,
    String category,
    Double importance,
    Boolean confirm,
    Long version) {

  public static MemoryUpdateBody of(UpdateRequest r) {
    return new MemoryUpdateBody(
        r.content(),
        r.tags(),
        r.state(),
        r.category(),
        r.importance(),
        r.confirm(),
        r.expectedVersion());
  }

  /** The update of memory {@code id}; {@code confirm: false} is the same as no confirmation. */
  public UpdateRequest request(String id) {
    return request(id, version);
  }

  /** The update of memory {@code id} expecting {@code expectedVersion} (null: no check). */
  public UpdateRequest request(String id, Long expectedVersion) {
    return new UpdateRequest(
        id,
        content,
        tags,
        category,
        importance,
        state,
        Boolean.TRUE.equals(confirm) ? true : null,
        expectedVersion);
  }
}
