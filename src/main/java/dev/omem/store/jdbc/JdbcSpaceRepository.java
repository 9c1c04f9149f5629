package dev.omem.store.jdbc;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.store.SpaceRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code spaces}, {@code space_members} and {@code auto_share_rules} tables; members are
 * tenants that accepted an invitation ({@link InvitationRepository}) or the creator. Personal
 * spaces are not stored: each tenant has one by definition. Every read goes to the database, so a
 * membership change holds from the next request on.
 */
public final class JdbcSpaceRepository implements SpaceRepository {
  private final JdbcDatabase db;

  public JdbcSpaceRepository(JdbcDatabase db) {
    this.db = db;
  }

  /** Inserts a space with its first members, in one transaction. */
  public void insert(Space s) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO spaces (id, space_type, name, owner_id, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.type().wire());
            ps.setString(3, s.name());
            ps.setString(4, s.ownerId());
            ps.setLong(5, s.createdAt().toEpochMilli());
            ps.setLong(6, s.updatedAt().toEpochMilli());
            ps.executeUpdate();
          }
          for (Space.Member m : s.members()) {
            putMember(c, s.id(), m);
          }
          return null;
        });
  }

  public void rename(String id, String name, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE spaces SET name = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Removes the space, its members and its rules (its memories are the caller's to delete). */
  public void delete(String id) {
    db.write(
        c -> {
          for (String sql :
              List.of(
                  "DELETE FROM space_members WHERE space_id = ?",
                  "DELETE FROM space_invitations WHERE space_id = ?",
                  "DELETE FROM auto_share_rules WHERE space_id = ?",
                  "DELETE FROM spaces WHERE id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setString(1, id);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Adds a member or changes the role of one. */
  public void putMember(String spaceId, Space.Member m) {
    db.write(
        c -> {
          putMember(c, spaceId, m);
          return null;
        });
  }

  static void putMember(Connection c, String spaceId, Space.Member m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (space_id, user_id) DO UPDATE SET role = excluded.role")) {
      ps.setString(1, spaceId);
      ps.setString(2, m.userId());
      ps.setString(3, m.role().wire());
      ps.setLong(4, m.joinedAt().toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Removes a member; false when it was not one. */
  public boolean removeMember(String spaceId, String userId) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM space_members WHERE space_id = ? AND user_id = ?")) {
            ps.setString(1, spaceId);
            ps.setString(2, userId);
            return ps.executeUpdate() > 0;
          }
        });
  }

  public Optional<Space> find(String id) {
    return db.read(c -> find(c, id));
  }

  /** The stored spaces {@code userId} is a member of, oldest first. */
  public List<Space> spacesOf(String userId) {
    return db.read(
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT s.id FROM spaces s JOIN space_members m ON m.space_id = s.id"
                      + " WHERE m.user_id = ? ORDER BY s.created_at, s.id")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          List<Space> out = new ArrayList<>();
          for (String id : ids) {
            find(c, id).ifPresent(out::add);
          }
          return out;
        });
  }

  private static Optional<Space> find(Connection c, String id) throws SQLException {
    Space s;
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM spaces WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        s =
            new Space(
                rs.getString("id"),
                SpaceType.parse(rs.getString("space_type")),
                rs.getString("name"),
                rs.getString("owner_id"),
                null,
                null,
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
      }
    }
    List<Space.Member> members = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT user_id, role, joined_at FROM space_members WHERE space_id = ?"
                + " ORDER BY joined_at, user_id")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.add(
              new Space.Member(
                  rs.getString(1),
                  SpaceRole.parse(rs.getString(2)),
                  Instant.ofEpochMilli(rs.getLong(3))));
        }
      }
    }
    return Optional.of(
        new Space(
            s.id(),
            s.type(),
            s.name(),
            s.ownerId(),
            members,
            rules(c, id),
            s.createdAt(),
            s.updatedAt()));
  }

  public void insertRule(AutoShareRule r) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO auto_share_rules (id, space_id, source_space, categories, tags,"
                      + " min_importance, require_approval, created_by, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.spaceId());
            ps.setString(3, r.sourceSpace());
            ps.setString(
                4, JsonColumns.write(r.categories().stream().map(Category::wire).toList()));
            ps.setString(5, JsonColumns.write(r.tags()));
            if (r.minImportance() == null) {
              ps.setNull(6, Types.DOUBLE);
            } else {
              ps.setDouble(6, r.minImportance());
            }
            ps.setInt(7, r.requireApproval() ? 1 : 0);
            ps.setString(8, r.createdBy());
            ps.setLong(9, r.createdAt().toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Deletes a rule of the space; false when it has no such rule. */
  public boolean deleteRule(String spaceId, String ruleId) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM auto_share_rules WHERE space_id = ? AND id = ?")) {
            ps.setString(1, spaceId);
            ps.setString(2, ruleId);
            return ps.executeUpdate() > 0;
          }
        });
  }

  private static List<AutoShareRule> rules(Connection c, String spaceId) throws SQLException {
    List<AutoShareRule> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM auto_share_rules WHERE space_id = ? ORDER BY created_at, id")) {
      ps.setString(1, spaceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double min = rs.getDouble("min_importance");
          Double minImportance = rs.wasNull() ? null : min;
          out.add(
              new AutoShareRule(
                  rs.getString("id"),
                  rs.getString("space_id"),
                  rs.getString("source_space"),
                  JsonColumns.strings(rs.getString("categories")).stream()
                      .map(n -> Category.parse(n).orElseThrow())
                      .toList(),
                  JsonColumns.strings(rs.getString("tags")),
                  minImportance,
                  rs.getInt("require_approval") == 1,
                  rs.getString("created_by"),
                  Instant.ofEpochMilli(rs.getLong("created_at"))));
        }
      }
    }
    return out;
  }
}
