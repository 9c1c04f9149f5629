package dev.omem.store.jdbc;

import dev.omem.store.IdempotencyRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The {@code idempotency_keys} table: the answer to each keyed write, for a while. */
public final class JdbcIdempotencyRepository implements IdempotencyRepository {

  private final JdbcDatabase db;

  public JdbcIdempotencyRepository(JdbcDatabase db) {
    this.db = db;
  }

  public Optional<Answer> find(String owner, String key) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT request, status, body FROM idempotency_keys WHERE owner = ? AND key = ?")) {
            ps.setString(1, owner);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Answer(rs.getString(1), rs.getInt(2), rs.getBytes(3)))
                  : Optional.empty();
            }
          }
        });
  }

  public void put(String owner, String key, Answer a, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO idempotency_keys"
                      + " (owner, key, request, status, body, created_at) VALUES (?,?,?,?,?,?)"
                      + " ON CONFLICT (owner, key) DO UPDATE SET request = excluded.request,"
                      + " status = excluded.status, body = excluded.body,"
                      + " created_at = excluded.created_at")) {
            ps.setString(1, owner);
            ps.setString(2, key);
            ps.setString(3, a.request());
            ps.setInt(4, a.status());
            ps.setBytes(5, a.body());
            ps.setLong(6, at.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  /** Forgets the answers stored before {@code cutoff}; returns how many. */
  public int purgeBefore(Instant cutoff) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }
}
