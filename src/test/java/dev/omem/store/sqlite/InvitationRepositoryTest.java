package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Invitation;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.store.InvitationRepository;
import dev.omem.store.SpaceRepository;
import dev.omem.store.jdbc.JdbcInvitationRepository;
import dev.omem.store.jdbc.JdbcSpaceRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invitations in a real SQLite file, and the consent migration turning unagreed memberships into
 * them.
 */
class InvitationRepositoryTest {
  @TempDir Path dir;

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void acceptingMakesTheMemberAndRemovesTheInvitationInOneStep() {
    Database db = Database.open(dir);
    try {
      SpaceRepository spaces = new JdbcSpaceRepository(db);
      InvitationRepository invitations = new JdbcInvitationRepository(db);
      spaces.insert(space("team/1", "owner"));
      invitations.put("inv-1", "team/1", "bob", SpaceRole.READER, "owner", AT);
      invitations.put("inv-2", "team/1", "bob", SpaceRole.MEMBER, "owner", AT); // a new role
      List<Invitation> pending = invitations.forUser("bob");
      assertEquals(1, pending.size(), pending.toString());
      assertEquals("inv-1", pending.get(0).id(), "a re-invitation keeps its id");
      assertEquals(SpaceRole.MEMBER, pending.get(0).role());
      assertEquals("team one", pending.get(0).spaceName());
      assertTrue(spaces.spacesOf("bob").isEmpty(), "an invitee is no member");

      assertTrue(invitations.accept(pending.get(0), AT));
      assertFalse(invitations.accept(pending.get(0), AT), "an invitation is accepted once");
      assertEquals(SpaceRole.MEMBER, spaces.find("team/1").orElseThrow().roleOf("bob"));
      assertTrue(invitations.forUser("bob").isEmpty());

      invitations.put("inv-3", "team/1", "carol", SpaceRole.MEMBER, "owner", AT);
      spaces.delete("team/1");
      assertTrue(invitations.forUser("carol").isEmpty(), "a deleted space's invitations go too");
    } finally {
      db.close();
    }
  }

  @Test
  void migrationTurnsMembershipsNobodyAgreedToIntoInvitations() throws Exception {
    // A store at the schema before consent, with the owner and an unagreed member.
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("omem.db").toAbsolutePath())) {
      Migrations.apply(c, Migrations.versionBefore("CREATE TABLE space_invitations"));
      try (Statement s = c.createStatement()) {
        long at = AT.toEpochMilli();
        s.execute(
            "INSERT INTO spaces (id, space_type, name, owner_id, created_at, updated_at)"
                + " VALUES ('team/1', 'team', 'team one', 'owner', "
                + at
                + ", "
                + at
                + ")");
        s.execute(
            "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES"
                + " ('team/1', 'owner', 'admin', "
                + at
                + "), ('team/1', 'bob', 'reader', "
                + at
                + ")");
      }
    }

    Database db = Database.open(dir);
    try {
      assertEquals(Migrations.latestVersion(), db.schemaVersion());
      Space s = new JdbcSpaceRepository(db).find("team/1").orElseThrow();
      assertEquals(List.of("owner"), s.members().stream().map(Space.Member::userId).toList());
      List<Invitation> bob = new JdbcInvitationRepository(db).forUser("bob");
      assertEquals(1, bob.size());
      assertEquals(SpaceRole.READER, bob.get(0).role(), "the role offered is the one held");
      assertEquals("owner", bob.get(0).invitedBy());
    } finally {
      db.close();
    }
  }

  private static Space space(String id, String owner) {
    return new Space(
        id,
        SpaceType.TEAM,
        "team one",
        owner,
        List.of(new Space.Member(owner, SpaceRole.ADMIN, AT)),
        null,
        AT,
        AT);
  }
}
