package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One API key of a tenant of {@code omem serve}, as it may be shown: never its secret or hash.
 *
 * @param prefix the secret's first characters, to tell keys apart; null for a key made before keys
 *     had names (only its hash was kept)
 * @param lastUsedAt when a request last came with it, to the minute; null when never
 * @param rotatedAt when its secret was last replaced; null when never
 * @param revokedAt when it was revoked; null while it works
 */
@JsonPropertyOrder({
  "id",
  "name",
  "prefix",
  "status",
  "created_at",
  "last_used_at",
  "rotated_at",
  "revoked_at"
})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiKey(
    String id,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant rotatedAt,
    Instant revokedAt) {

  /** {@code active} or {@code revoked}, as the key routes show it. */
  @JsonProperty(value = "status", access = JsonProperty.Access.READ_ONLY)
  public String status() {
    return revoked() ? "revoked" : "active";
  }

  @JsonIgnore
  public boolean revoked() {
    return revokedAt != null;
  }

  /** A key with its new secret, as created or rotated: the only time the secret is shown. */
  public record Issued(@JsonUnwrapped ApiKey key, @JsonProperty("api_key") String secret) {}
}
