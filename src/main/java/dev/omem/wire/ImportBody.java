package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.ImportRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of {@code POST /v1/imports} (omem's extension beside multipart, whose form fields
 * are read into the same shape). {@code force} is a JSON boolean, or the text a form sends.
 */
public record ImportBody(
    @JsonProperty("file_type") String fileType,
    String content,
    @JsonProperty("file_name") String fileName,
    JsonNode force,
    String strategy,
    @JsonProperty("space_id") String spaceId,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("session_id") String sessionId) {

  public static ImportBody of(ImportRequest r, Caller caller) {
    return new ImportBody(
        r.fileType(),
        r.content(),
        r.fileName(),
        BooleanNode.valueOf(r.force()),
        r.strategy(),
        r.spaceId(),
        caller.agentId(),
        caller.sessionId());
  }

  /**
   * The raw form of {@code POST /v1/imports}: the body is the file's bytes ({@code
   * application/octet-stream}), every other field a query parameter of the same name; the agent and
   * session come from the caller's headers.
   */
  public static ImportBody ofQuery(QueryParams q) {
    String force = q.param("force");
    return new ImportBody(
        q.param("file_type"),
        null,
        q.param("file_name"),
        force == null ? null : TextNode.valueOf(force),
        q.param("strategy"),
        q.param("space_id"),
        null,
        null);
  }

  /** The query of the raw form ({@link #ofQuery}); null values are left out by the client. */
  public Map<String, String> query() {
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "file_type", fileType);
    put(q, "file_name", fileName);
    put(q, "force", force == null || force.isNull() ? null : force.asText());
    put(q, "strategy", strategy);
    put(q, "space_id", spaceId);
    return q;
  }

  private static void put(Map<String, String> q, String name, String value) {
    if (value != null) {
      q.put(name, value);
    }
  }

  /** The request; {@code upload} the raw form's body (null for the JSON form). */
  public ImportRequest request(ImportRequest.Upload upload) {
    return new ImportRequest(fileType, content, fileName, forced(), strategy, spaceId, upload);
  }

  /** The caller, with this body's {@code agent_id} and {@code session_id}. */
  public Caller caller(Caller c) {
    return new Caller(
        c.tenantId(),
        c.project(),
        agentId != null ? agentId : c.agentId(),
        sessionId != null ? sessionId : c.sessionId());
  }

  private boolean forced() {
    if (force == null || force.isNull()) {
      return false;
    }
    if (force.isBoolean()) {
      return force.asBoolean();
    }
    String v = force.asText().trim();
    if (v.isEmpty() || v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    throw OmemException.invalid("force must be true or false, got '" + v + "'");
  }
}
