package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API keys as JSON, written by the server and read back by the remote client, so the two cannot
 * drift apart. The secret appears only in an {@link ApiKey.Issued} answer, as {@code api_key} (the
 * field sign-up answers with).
 */
public final class ApiKeyJson {
  private ApiKeyJson() {}

  public static Map<String, Object> of(ApiKey k) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", k.id());
    j.put("name", k.name());
    j.put("prefix", k.prefix());
    j.put("status", k.revoked() ? "revoked" : "active");
    j.put("created_at", time(k.createdAt()));
    j.put("last_used_at", time(k.lastUsedAt()));
    j.put("rotated_at", time(k.rotatedAt()));
    j.put("revoked_at", time(k.revokedAt()));
    return j;
  }

  public static Map<String, Object> of(ApiKey.Issued issued) {
    Map<String, Object> j = of(issued.key());
    j.put("api_key", issued.secret());
    return j;
  }

  public static ApiKey read(JsonNode j) {
    return new ApiKey(
        j.path("id").asText(null),
        j.path("name").asText(null),
        text(j, "prefix"),
        instant(j, "created_at"),
        instant(j, "last_used_at"),
        instant(j, "rotated_at"),
        instant(j, "revoked_at"));
  }

  public static ApiKey.Issued readIssued(JsonNode j) {
    return new ApiKey.Issued(read(j), j.path("api_key").asText(null));
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static String text(JsonNode j, String field) {
    JsonNode n = j.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Instant instant(JsonNode j, String field) {
    String s = text(j, field);
    return s == null ? null : Instant.parse(s);
  }
}
