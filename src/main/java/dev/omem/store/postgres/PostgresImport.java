package dev.omem.store.postgres;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.MigratedTable;
import dev.omem.store.jdbc.TableSource;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Copies another store's tables into a PostgreSQL database ({@code omem migrate}), all in one
 * transaction: a failure anywhere leaves the target as it was. Rows keep their ids, vectors (bytes,
 * never re-embedded), history and change-log seqs; the order rows were stored in becomes {@code
 * stored_order}; sequences and the change-log counter continue after the copied rows, so a node
 * started on the target rebuilds its index from the stored vectors and then follows new writes.
 * Tables and columns are matched by name, so every table both schemas hold is copied and a source
 * column the target lacks fails the copy before anything is written.
 */
public final class PostgresImport {
  /** Two migrations into one database take turns: "omem" in ASCII, then 2. */
  static final long LOCK = 0x6F6D656D_00000002L;

  /** Rows sent per batch: big enough to amortise round trips, small enough for any vector size. */
  private static final int BATCH = 500;

  // Meta keys home_id and home_path name the source's home, not its data: never copied, and each
  // node of the target keeps its own.

  /** The target's own bookkeeping, never copied (the counter is set from the source's log). */
  private static final Set<String> OWN_TABLES = Set.of("omem_schema", "change_counter");

  private PostgresImport() {}

  /**
   * Copies {@code source} into the database at {@code url} (migrating its schema first), verifying
   * every table's count before committing. Refused when the target holds data, unless {@code
   * replace}: then what it holds is deleted in the same transaction.
   */
  public static List<MigratedTable> copy(TableSource source, String url, boolean replace) {
    try (PostgresDatabase db = PostgresDatabase.open(url)) {
      return db.write(c -> copy(source, c, replace, false));
    }
  }

  /**
   * {@code omem restore} into a live database: what it holds is replaced by {@code source} in one
   * transaction, as {@link #copy} with {@code replace} does, and the running nodes are told. Their
   * indexes describe the replaced rows and apply only change-log entries after the seq they hold,
   * so the same transaction appends one entry for every memory that was there before or is there
   * now, after both the old counter and the backup's, and notifies {@link
   * PostgresChangeLog#CHANNEL}: each node's ordinary catch-up (or its poll) then re-reads every
   * such memory, indexing the restored rows from their stored vectors and dropping the others.
   */
  public static List<MigratedTable> restore(TableSource source, String url) {
    try (PostgresDatabase db = PostgresDatabase.open(url)) {
      return db.write(c -> copy(source, c, true, true));
    }
  }

  private static List<MigratedTable> copy(
      TableSource source, Connection c, boolean replace, boolean announce) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
    }
    long oldLast = 0;
    java.util.Set<String> touched = new java.util.LinkedHashSet<>();
    if (announce) {
      try (Statement s = c.createStatement()) {
        // Writers take this row's lock to append: none commits between the read and the swap.
        try (ResultSet rs = s.executeQuery(PostgresChangeLog.LAST_SEQ + " FOR UPDATE")) {
          oldLast = rs.next() ? rs.getLong(1) : 0;
        }
        touched.addAll(ids(s));
      }
    }
    Map<String, Map<String, String>> target = targetColumns(c);
    Connection src = source.connection();
    Map<String, List<String>> copied = new LinkedHashMap<>();
    for (String table : source.tables()) {
      Map<String, String> types = target.get(table);
      if (types == null) {
        throw schemaMismatch("the target has no table " + table);
      }
      List<String> columns = source.columns(table);
      for (String col : columns) {
        if (!types.containsKey(col)) {
          throw schemaMismatch("the target's table " + table + " has no column " + col);
        }
      }
      copied.put(table, columns);
    }
    List<String> held = new ArrayList<>();
    for (String table : target.keySet()) {
      long n = OWN_TABLES.contains(table) ? 0 : count(c, table);
      if (n > 0 && !table.equals("meta")) {
        held.add(table + " " + n);
      }
    }
    if (!held.isEmpty() && !replace) {
      throw OmemException.invalid(
          "the target database already holds omem data ("
              + String.join(", ", held)
              + "); migrate into an empty database, or pass --replace to delete what it holds");
    }
    try (Statement s = c.createStatement()) {
      for (String table : target.keySet()) {
        if (table.equals("meta")) {
          // What a node wrote in a database without data (its passes' times) gives way to the
          // source's; the home keys stay with the nodes.
          s.execute("DELETE FROM meta WHERE key NOT IN ('home_id', 'home_path')");
        } else if (!OWN_TABLES.contains(table)) {
          s.execute("DELETE FROM " + table);
        }
      }
      s.execute("UPDATE change_counter SET last = 0 WHERE id = 1");
    }
    List<MigratedTable> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : copied.entrySet()) {
      String table = e.getKey();
      try {
        copyTable(source, c, table, e.getValue(), target.get(table));
      } catch (SQLException ex) {
        throw new OmemException(
            ErrorCode.INTERNAL,
            "copying table " + table + " failed, the target was left as it was: " + reason(ex),
            ex);
      }
      long from = table.equals("meta") ? countMeta(src) : count(src, table);
      long to = table.equals("meta") ? countMeta(c) : count(c, table);
      if (from != to) {
        throw new OmemException(
            ErrorCode.INTERNAL,
            "table "
                + table
                + " has "
                + from
                + " rows in the source but "
                + to
                + " in the target; the target was left as it was");
      }
      out.add(new MigratedTable(table, from, to));
    }
    continueSequences(c, target);
    long last = source.lastChangeSeq();
    if (announce) {
      try (Statement s = c.createStatement()) {
        touched.addAll(ids(s));
      }
      last = announce(c, Math.max(oldLast, last), touched);
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE change_counter SET last = ? WHERE id = 1")) {
      ps.setLong(1, last);
      ps.executeUpdate();
    }
    return out;
  }

  private static List<String> ids(Statement s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT id FROM memories")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Appends one change-log entry per id after {@code after} and notifies the nodes (delivered on
   * commit); returns the last seq.
   */
  private static long announce(Connection c, long after, java.util.Collection<String> ids)
      throws SQLException {
    long seq = after;
    long now = System.currentTimeMillis();
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO changes (seq, memory_id, at) VALUES (?, ?, ?)")) {
      int pending = 0;
      for (String id : ids) {
        ps.setLong(1, ++seq);
        ps.setString(2, id);
        ps.setLong(3, now);
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, PostgresChangeLog.CHANNEL);
      ps.setString(2, Long.toString(seq));
      ps.executeQuery().close();
    }
    return seq;
  }

  private static void copyTable(
      TableSource source, Connection c, String table, List<String> columns, Map<String, String> to)
      throws SQLException {
    // A column the target has and the source lacks keeps the order rows were stored in.
    boolean order = to.containsKey("stored_order") && !columns.contains("stored_order");
    StringJoiner names = new StringJoiner(", ");
    StringJoiner marks = new StringJoiner(", ");
    for (String col : columns) {
      names.add(col);
      marks.add("?");
    }
    if (order) {
      names.add("stored_order");
      marks.add("?");
    }
    String read =
        "SELECT "
            + String.join(", ", columns)
            + ", "
            + source.orderColumn()
            + " FROM "
            + table
            + (table.equals("meta") ? " WHERE key NOT IN ('home_id', 'home_path')" : "")
            + " ORDER BY "
            + source.orderBy(table);
    try (Statement s = source.connection().createStatement();
        ResultSet rs = s.executeQuery(read);
        PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
      int pending = 0;
      while (rs.next()) {
        for (int i = 0; i < columns.size(); i++) {
          bind(ins, i + 1, rs, i + 1, to.get(columns.get(i)));
        }
        if (order) {
          ins.setLong(columns.size() + 1, rs.getLong(columns.size() + 1));
        }
        ins.addBatch();
        if (++pending == BATCH) {
          ins.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ins.executeBatch();
      }
    }
  }

  /** Binds source column {@code from} to parameter {@code at} as the target's type wants it. */
  private static void bind(PreparedStatement ps, int at, ResultSet rs, int from, String type)
      throws SQLException {
    if (rs.getObject(from) == null) {
      ps.setNull(at, sqlType(type));
      return;
    }
    switch (type) {
      case "bigint" -> ps.setLong(at, rs.getLong(from));
      case "integer", "smallint" -> ps.setInt(at, rs.getInt(from));
      case "double precision", "real", "numeric" -> ps.setDouble(at, rs.getDouble(from));
      case "bytea" -> ps.setBytes(at, rs.getBytes(from));
      case "boolean" -> ps.setBoolean(at, rs.getBoolean(from));
      default -> ps.setString(at, rs.getString(from));
    }
  }

  private static int sqlType(String type) {
    return switch (type) {
      case "bigint" -> Types.BIGINT;
      case "integer", "smallint" -> Types.INTEGER;
      case "double precision", "real", "numeric" -> Types.DOUBLE;
      case "bytea" -> Types.BINARY;
      case "boolean" -> Types.BOOLEAN;
      default -> Types.VARCHAR;
    };
  }

  /** Every serial column (memory_history.seq, stored_order) continues after the copied rows. */
  private static void continueSequences(Connection c, Map<String, Map<String, String>> target)
      throws SQLException {
    List<String[]> serials = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'")) {
      while (rs.next()) {
        serials.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] tc : serials) {
      if (!target.containsKey(tc[0])) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        s.execute(
            "SELECT setval(pg_get_serial_sequence('"
                + tc[0]
                + "', '"
                + tc[1]
                + "'), COALESCE((SELECT MAX("
                + tc[1]
                + ") FROM "
                + tc[0]
                + "), 0) + 1, false)");
      }
    }
  }

  /** The target's tables and, for each, its columns' types as information_schema names them. */
  private static Map<String, Map<String, String>> targetColumns(Connection c) throws SQLException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
                    + " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
                    + " AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"
                    + " WHERE c.table_schema = current_schema()"
                    + " ORDER BY c.table_name, c.ordinal_position")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static long countMeta(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM meta WHERE key NOT IN ('home_id', 'home_path')")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static OmemException schemaMismatch(String what) {
    return OmemException.invalid(
        what + ": the source and the target must both be at this omem's schema");
  }

  /** The database's own words: a batch's first failure is chained behind its summary. */
  private static String reason(SQLException e) {
    SQLException next = e instanceof BatchUpdateException ? e.getNextException() : null;
    String m = (next != null ? next : e).getMessage();
    return m == null ? e.toString() : m.lines().findFirst().orElse(m);
  }
}
