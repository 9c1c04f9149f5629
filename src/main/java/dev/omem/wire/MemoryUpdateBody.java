package dev.omem.wire;

import dev.omem.service.UpdateRequest;
import java.util.List;

/** The body of {@code PUT /v1/memories/{id}}; {@code confirm} is omem's trust extension. */
public record MemoryUpdateBody(
    String content,
    List<String> tags,
    String state,
    String category,
    Double importance,
    Boolean confirm) {

  public static MemoryUpdateBody of(UpdateRequest r) {
    return new MemoryUpdateBody(
        r.content(), r.tags(), r.state(), r.category(), r.importance(), r.confirm());
  }

  /** The update of memory {@code id}; {@code confirm: false} is the same as no confirmation. */
  public UpdateRequest request(String id) {
    return new UpdateRequest(
        id, content, tags, category, importance, state, Boolean.TRUE.equals(confirm) ? true : null);
  }
}
