package dev.omem.store.jdbc;

import dev.omem.store.EmbeddingQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows whose {@code embedding} is missing or of another model, and the backfill's writes. */
public final class JdbcEmbeddingQueue implements EmbeddingQueue {
  private final JdbcDatabase db;
  private final ChangeAppend changes;

  public JdbcEmbeddingQueue(JdbcDatabase db, ChangeAppend changes) {
    this.db = db;
    this.changes = changes;
  }

  @Override
  public void setEmbedding(String id, String content, float[] vector, String model) {
    db.write(
        c -> {
          changes.lockFirst(c);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE memories SET embedding=?, embedding_model=? WHERE id=? AND content=?")) {
            MemoryRows.bindVector(ps, 1, 2, vector, model);
            ps.setString(3, id);
            ps.setString(4, content);
            if (ps.executeUpdate() == 1) {
              changes.append(c, id);
            }
          }
          return null;
        });
  }

  @Override
  public Map<String, String> withoutEmbedding(String model, int limit) {
    String order = db.dialect().insertionOrder();
    return db.read(
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, content FROM memories WHERE embedding IS NULL OR embedding_model<>?"
                      + " ORDER BY "
                      + order
                      + " LIMIT ?")) {
            ps.setString(1, model);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return out;
        });
  }

  @Override
  public long countWithoutEmbedding(String model) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM memories WHERE embedding IS NULL OR embedding_model<>?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }
}
