package dev.omem.store.jdbc;

import java.sql.Connection;
import java.util.List;

/**
 * A store's tables read in one consistent snapshot, for copying them into another backend ({@code
 * omem migrate}). Each table is read in the order its rows were stored ({@link #orderColumn}).
 */
public interface TableSource extends AutoCloseable {
  /** The connection the snapshot is read on; read only. */
  Connection connection();

  /** The tables that hold the store's data, in the order they are to be copied. */
  List<String> tables();

  /** The source's column that orders a table's rows as they were stored (SQLite: rowid). */
  String orderColumn();

  /**
   * What orders {@code table}'s rows as they were stored, for an {@code ORDER BY}: {@link
   * #orderColumn} where every table has it (SQLite's rowid); a source where only some tables keep
   * their order (PostgreSQL's {@code stored_order}) says what orders the others.
   */
  default String orderBy(String table) {
    return orderColumn();
  }

  /** The change log's last seq, which pruning the log does not lower. */
  long lastChangeSeq() throws java.sql.SQLException;

  /** {@code table}'s column names in this source, lower case, in the source's order. */
  default List<String> columns(String table) throws java.sql.SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (java.sql.Statement s = connection().createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
      java.sql.ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  /** Where the source is, for messages. */
  String describe();

  @Override
  void close();
}
