package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * API keys as JSON, written by the server and read back by the remote client; the field names live
 * on {@link ApiKey} (Jackson annotations). The secret appears only in an {@link ApiKey.Issued}
 * answer, as {@code api_key} (the field sign-up answers with).
 */
public final class ApiKeyJson {
  private ApiKeyJson() {}

  public static Map<String, Object> of(ApiKey k) {
    return DomainJson.map(k);
  }

  public static Map<String, Object> of(ApiKey.Issued issued) {
    return DomainJson.map(issued);
  }

  public static ApiKey read(JsonNode j) {
    return DomainJson.read(j, ApiKey.class);
  }

  public static ApiKey.Issued readIssued(JsonNode j) {
    return DomainJson.read(j, ApiKey.Issued.class);
  }
}
