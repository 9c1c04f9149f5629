package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.IngestRequest;
import dev.omem.service.StoreRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/memories}: a direct store ({@code content}...) or, when {@code
 * messages} is present (even empty), an ingest. {@code facts} is omem's extension (facts the MCP
 * client's own model extracted); {@code agent_id}, {@code session_id} and {@code project} override
 * the caller's headers.
 */
public record MemoryBody(
    String content,
    List<String> tags,
    String source,
    String category,
    String scope,
    Double importance,
    @JsonProperty("space_id") String spaceId,
    List<Message> messages,
    String mode,
    List<Fact> facts,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("session_id") String sessionId,
    String project) {

  /** One turn of an ingest. */
  public record Message(String role, String content) {}

  /** One fact of the {@code facts} extension. */
  public record Fact(
      String text, String category, List<String> tags, Double importance, Double confidence) {}

  /** What the client sends for a store. */
  public static MemoryBody of(StoreRequest r) {
    return new MemoryBody(
        r.content(),
        r.tags(),
        r.source(),
        r.category(),
        r.scope(),
        r.importance(),
        r.space(),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * What the client sends for an ingest: the messages always (they make it one), the caller's ids.
   */
  public static MemoryBody of(IngestRequest r, Caller caller) {
    List<Message> messages = new ArrayList<>();
    if (r.messages() != null) {
      for (IngestRequest.Message m : r.messages()) {
        messages.add(m == null ? new Message(null, null) : new Message(m.role(), m.content()));
      }
    }
    List<Fact> facts =
        r.facts() == null
            ? null
            : r.facts().stream()
                .map(
                    f -> new Fact(f.text(), f.category(), f.tags(), f.importance(), f.confidence()))
                .toList();
    return new MemoryBody(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        messages,
        r.mode(),
        facts,
        caller.agentId(),
        caller.sessionId(),
        null);
  }

  @JsonIgnore
  public boolean isIngest() {
    return messages != null;
  }

  /** The store this body asks for; without content the service says "content is required". */
  public StoreRequest store() {
    return new StoreRequest(content, tags, source, category, scope, importance, spaceId);
  }

  /** The ingest this body asks for: at least one message. */
  public IngestRequest ingest() {
    if (messages == null || messages.isEmpty()) {
      throw OmemException.invalid("messages must be a non-empty list of {role, content}");
    }
    List<IngestRequest.Message> list = new ArrayList<>();
    for (Message m : messages) {
      if (m == null) {
        throw OmemException.invalid("each message must be an object {role, content}");
      }
      list.add(new IngestRequest.Message(m.role(), m.content()));
    }
    List<IngestRequest.Fact> extracted = null;
    if (facts != null) {
      extracted = new ArrayList<>();
      for (int i = 0; i < facts.size(); i++) {
        Fact f = facts.get(i);
        if (f == null) {
          throw OmemException.invalid(
              "facts["
                  + i
                  + "]: a fact must be an object {text, category, tags?, importance?,"
                  + " confidence?}");
        }
        extracted.add(
            new IngestRequest.Fact(
                f.text(), f.category(), f.tags(), f.importance(), f.confidence()));
      }
    }
    return new IngestRequest(list, mode, null, extracted);
  }

  /** The caller, with this body's {@code agent_id}, {@code session_id} and {@code project}. */
  public Caller caller(Caller c) {
    return new Caller(
        c.tenantId(),
        project != null ? project : c.project(),
        agentId != null ? agentId : c.agentId(),
        sessionId != null ? sessionId : c.sessionId());
  }
}
