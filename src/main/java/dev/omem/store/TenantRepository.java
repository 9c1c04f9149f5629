package dev.omem.store;

import java.time.Instant;

/**
 * Tenants of {@code omem serve}: public ids, names and status (their keys: {@link KeyRepository}).
 */
public interface TenantRepository {
  void insert(String id, String name, Instant createdAt);

  /** Whether {@code id} names an active tenant. */
  boolean exists(String id);
}
