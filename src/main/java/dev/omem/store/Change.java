package dev.omem.store;

/**
 * One entry of the change log: memory {@code memoryId} changed; its row holds the new state. {@code
 * at} is when the entry was written (epoch ms: the database's clock on PostgreSQL, the writer's on
 * SQLite); {@code foreign} says that another node of a cluster wrote it (never on a store one
 * process writes), which is what the index's replication lag is measured on.
 */
public record Change(long seq, String memoryId, long at, boolean foreign) {
  /** An entry without its time or origin (what a comparison of seqs and ids needs). */
  public Change(long seq, String memoryId) {
    this(seq, memoryId, 0, false);
  }

  /** This entry without its time or origin. */
  public Change bare() {
    return new Change(seq, memoryId);
  }
}
