package dev.omem.store;

/**
 * The unique index that makes an exact duplicate impossible even when a write path forgets to
 * check: one active memory per partition ({@code tenant_id}), scope and {@code content_hash}, rows
 * with {@code duplicate_allowed} (shared copies, forced imports) left out. A partial index, which
 * PostgreSQL has with the same {@code WHERE}.
 */
public final class UniqueActive {
  /** The index's name (migration 13). */
  public static final String INDEX = "memories_active_unique";

  private UniqueActive() {}

  /** Whether {@code e} (or a cause) is a write refused by this index. */
  public static boolean violatedBy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // SQLite names the columns, PostgreSQL the index: either identifies it.
      if (t.getMessage() != null
          && (t.getMessage().contains(INDEX)
              || t.getMessage().contains("memories.tenant_id, memories.scope,"))) {
        return true;
      }
    }
    return false;
  }
}
