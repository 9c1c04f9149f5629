package dev.omem.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** How a shared repository appends to its backend's change log, in the caller's transaction. */
@FunctionalInterface
public interface ChangeAppend {
  /**
   * Takes the lock appending needs, as the write's first statement (PostgreSQL locks the change
   * counter first so that writers never wait on each other in opposite orders); none by default.
   */
  default void lockFirst(Connection c) throws SQLException {}

  /** Appends memory {@code memoryId} to the log; returns its seq. */
  long append(Connection c, String memoryId) throws SQLException;
}
