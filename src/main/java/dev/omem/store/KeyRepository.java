package dev.omem.store;

import dev.omem.domain.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API keys of tenants, kept as hashes. Each change that depends on the tenant's other keys (a
 * name already taken, the last active key) is checked and made atomically, so two concurrent
 * revocations cannot both pass the last-key check.
 */
public interface KeyRepository {
  /** Who holds an active key: the key and its tenant. */
  record Holder(String keyId, String tenantId, Instant lastUsedAt) {}

  /** How a change went; anything but {@code DONE} changed nothing. */
  enum Outcome {
    DONE,
    /** No such key of this tenant (another tenant's key included). */
    NOT_FOUND,
    /** Another active key of the tenant has this name. */
    NAME_TAKEN,
    /** The tenant holds the most active keys allowed. */
    TOO_MANY,
    /** The key is revoked; it cannot be rotated. */
    REVOKED,
    /** The key is the tenant's last active one. */
    LAST_KEY
  }

  /** Adds {@code key} (active) unless its name is taken or the tenant has {@code maxActive}. */
  Outcome insert(String tenantId, ApiKey key, String keyHash, int maxActive);

  /** Every key of the tenant, revoked ones too, oldest first. */
  List<ApiKey> list(String tenantId);

  Optional<ApiKey> find(String tenantId, String keyId);

  /** Replaces an active key's secret: the old hash stops matching in the same transaction. */
  Outcome rotate(String tenantId, String keyId, String keyHash, String prefix, Instant at);

  /** Revokes a key unless it is the tenant's last active one; a revoked key stays as it was. */
  Outcome revoke(String tenantId, String keyId, Instant at);

  /** The active key with this hash, of an active tenant. */
  Optional<Holder> findActive(String keyHash);

  /** Records a use of the key. */
  void touch(String keyId, Instant at);
}
