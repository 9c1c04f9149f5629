package dev.omem.service;

import dev.omem.domain.ApiKey;
import java.util.List;

/**
 * The caller's tenant's API keys: list, create, rotate, revoke. Account management, not memory, so
 * it is its own interface beside {@link MemoryService}: the server's routes call the local one
 * ({@link ApiKeys}), {@code omem keys} the remote one. A key id of another tenant fails exactly as
 * a missing one (NOT_FOUND); a secret is shown only in what create and rotate return.
 */
public interface KeyService extends AutoCloseable {
  /** Every key of the caller's tenant, revoked ones too, oldest first; never a secret. */
  List<ApiKey> list(Caller caller);

  /** A new active key with this name; its secret is shown this once. */
  ApiKey.Issued create(Caller caller, String name);

  /** A new secret for a key: the old one is refused from the next request on. */
  ApiKey.Issued rotate(Caller caller, String keyId);

  /**
   * Revokes a key: refused from the next request on, MCP sessions it opened included. The tenant's
   * last active key is not revoked (CONFLICT), so a tenant cannot lock itself out.
   */
  ApiKey revoke(Caller caller, String keyId);

  @Override
  default void close() {}
}
