package dev.omem.store.jdbc;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.store.ListSort;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memories read by a filter, page by page ({@code list}) or as ids in creation order (what an
 * export walks): the part of {@link JdbcMemoryRepository} that builds a query from a {@link
 * MemoryFilter}, for SQLite and PostgreSQL alike.
 */
final class JdbcMemoryPages {
  private final JdbcDatabase db;

  JdbcMemoryPages(JdbcDatabase db) {
    this.db = db;
  }

  List<String> idsOldestFirst(MemoryFilter f) {
    List<Object> args = new ArrayList<>();
    String where = MemoryRows.where(f, args, db.dialect().tagFilter());
    return db.read(
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM memories WHERE " + where + " ORDER BY created_at, id")) {
            MemoryRows.bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          return ids;
        });
  }

  MemoryPage list(MemoryFilter f, ListSort sort, boolean ascending, int limit, int offset) {
    return db.read(
        c -> {
          List<Object> args = new ArrayList<>();
          String where = MemoryRows.where(f, args, db.dialect().tagFilter());
          long total;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM memories WHERE " + where)) {
            MemoryRows.bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<Memory> page = new ArrayList<>();
          String order =
              " ORDER BY "
                  + sort.name().toLowerCase(Locale.ROOT) // each sort key names its column
                  + (ascending ? " ASC" : " DESC")
                  + ", id";
          // The page's rows are chosen by their key first and only they are read whole: on
          // SQLite, sorting whole rows read every memory's content and tags to keep 50 (browse
          // p95 445 ms); the covering index finds the keys alone.
          String key = db.dialect().pageKey();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + MemoryRows.COLUMNS
                      + " FROM memories WHERE "
                      + key
                      + " IN (SELECT "
                      + key
                      + " FROM memories WHERE "
                      + where
                      + order
                      + " LIMIT ? OFFSET ?)"
                      + order)) {
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(limit);
            pageArgs.add(offset);
            MemoryRows.bindAll(ps, pageArgs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                page.add(MemoryRows.map(rs));
              }
            }
          }
          return new MemoryPage(page, total, limit, offset);
        });
  }
}
