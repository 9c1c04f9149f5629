package dev.omem.domain;

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
public record ApiKey(
    String id,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant rotatedAt,
    Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  /** A key with its new secret, as created or rotated: the only time the secret is shown. */
  public record Issued(ApiKey key, String secret) {}
}
