package dev.omem.store.postgres;

import dev.omem.store.jdbc.TableSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A PostgreSQL store's tables as a {@link TableSource}, read on a connection inside one REPEATABLE
 * READ transaction ({@link PostgresDatabase#snapshot}): every table as of the same moment while the
 * nodes keep writing. The schema's own bookkeeping ({@code omem_schema}, {@code change_counter}) is
 * not data; the counter travels as {@link #lastChangeSeq}.
 */
final class PostgresTables implements TableSource {
  private static final Set<String> OWN_TABLES = Set.of("omem_schema", "change_counter");

  private final Connection c;
  private final String location;
  private final List<String> tables;
  private final Set<String> ordered;

  private PostgresTables(Connection c, String location, List<String> tables, Set<String> ordered) {
    this.c = c;
    this.location = location;
    this.tables = tables;
    this.ordered = ordered;
  }

  static PostgresTables of(Connection c, String location) throws SQLException {
    List<String> tables = new ArrayList<>();
    Set<String> ordered = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c"
                    + " WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name"
                    + " AND c.column_name = 'stored_order') FROM information_schema.tables t"
                    + " WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
                    + " ORDER BY t.table_name")) {
      while (rs.next()) {
        String table = rs.getString(1);
        if (OWN_TABLES.contains(table)) {
          continue;
        }
        tables.add(table);
        if (rs.getBoolean(2)) {
          ordered.add(table);
        }
      }
    }
    return new PostgresTables(c, location, List.copyOf(tables), Set.copyOf(ordered));
  }

  @Override
  public Connection connection() {
    return c;
  }

  @Override
  public List<String> tables() {
    return tables;
  }

  @Override
  public String orderColumn() {
    return "stored_order";
  }

  /** {@code stored_order} where the table has it, else its first column (its key). */
  @Override
  public String orderBy(String table) {
    return ordered.contains(table) ? "stored_order" : "1";
  }

  @Override
  public long lastChangeSeq() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(PostgresChangeLog.LAST_SEQ)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public String describe() {
    return location;
  }

  /** The connection belongs to the snapshot that made this source. */
  @Override
  public void close() {}
}
