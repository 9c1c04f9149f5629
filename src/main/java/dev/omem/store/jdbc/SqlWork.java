package dev.omem.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on a connection. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection c) throws SQLException;
}
