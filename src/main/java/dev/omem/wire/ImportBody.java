package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.ImportRequest;

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

  public ImportRequest request() {
    return new ImportRequest(fileType, content, fileName, forced(), strategy, spaceId);
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
