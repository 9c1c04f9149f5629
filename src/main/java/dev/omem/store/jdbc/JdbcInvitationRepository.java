package dev.omem.store.jdbc;

import dev.omem.domain.Invitation;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.store.InvitationRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code space_invitations} table: who was asked to join a space and has not answered.
 * Accepting moves the row into {@code space_members} in one transaction.
 */
public final class JdbcInvitationRepository implements InvitationRepository {
  private static final String SELECT =
      "SELECT i.id, i.space_id, s.space_type, s.name, i.user_id, i.role, i.invited_by,"
          + " i.created_at FROM space_invitations i JOIN spaces s ON s.id = i.space_id";

  private final JdbcDatabase db;

  public JdbcInvitationRepository(JdbcDatabase db) {
    this.db = db;
  }

  /** Invites {@code userId}, or changes the role of its pending invitation (keeping its id). */
  public void put(String id, String spaceId, String userId, SpaceRole role, String by, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO space_invitations (id, space_id, user_id, role, invited_by,"
                      + " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (space_id, user_id)"
                      + " DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by")) {
            ps.setString(1, id);
            ps.setString(2, spaceId);
            ps.setString(3, userId);
            ps.setString(4, role.wire());
            ps.setString(5, by);
            ps.setLong(6, at.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  public Optional<Invitation> find(String id) {
    List<Invitation> found = query(" WHERE i.id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The pending invitation of {@code userId} into {@code spaceId}, if any. */
  public Optional<Invitation> find(String spaceId, String userId) {
    List<Invitation> found = query(" WHERE i.space_id = ? AND i.user_id = ?", spaceId, userId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The invitations waiting for {@code userId}'s answer, oldest first. */
  public List<Invitation> forUser(String userId) {
    return query(" WHERE i.user_id = ? ORDER BY i.created_at, i.id", userId);
  }

  /** The pending invitations of a space, oldest first. */
  public List<Invitation> ofSpace(String spaceId) {
    return query(" WHERE i.space_id = ? ORDER BY i.created_at, i.id", spaceId);
  }

  /** Removes an invitation (declined or revoked); false when there was none. */
  public boolean delete(String id) {
    return db.write(c -> delete(c, id));
  }

  /**
   * Makes the invitee a member with the invitation's role and removes the invitation, in one
   * transaction; false when the invitation was gone already.
   */
  public boolean accept(Invitation i, Instant at) {
    return db.write(
        c -> {
          if (!delete(c, i.id())) {
            return false;
          }
          JdbcSpaceRepository.putMember(c, i.spaceId(), new Space.Member(i.userId(), i.role(), at));
          return true;
        });
  }

  private static boolean delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_invitations WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    }
  }

  private List<Invitation> query(String where, String... params) {
    return db.read(
        c -> {
          List<Invitation> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(SELECT + where)) {
            for (int i = 0; i < params.length; i++) {
              ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Invitation(
                        rs.getString(1),
                        rs.getString(2),
                        SpaceType.parse(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        SpaceRole.parse(rs.getString(6)),
                        rs.getString(7),
                        Instant.ofEpochMilli(rs.getLong(8))));
              }
            }
          }
          return out;
        });
  }
}
