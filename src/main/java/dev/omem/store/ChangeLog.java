package dev.omem.store;

import java.util.List;

/**
 * The change log: every write of a memory appends its id in the same transaction, so a derived
 * index can catch up to exactly what was committed (DESIGN.md decision 1).
 */
public interface ChangeLog {
  /** Change-log entries after {@code seq}, oldest first. */
  List<Change> changesAfter(long seq, int limit);

  /** The newest change-log sequence number, 0 when nothing was ever written. */
  long lastSeq();

  /** Drops change-log entries the index has durably applied; they are needed no more. */
  void pruneChangesThrough(long seq);
}
