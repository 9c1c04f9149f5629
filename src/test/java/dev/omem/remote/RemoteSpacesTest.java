package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spaces and sharing through {@link RemoteMemoryService} against a real {@code omem serve}: what a
 * stdio MCP server does through the daemon, or an agent pointed at a team's server.
 */
class RemoteSpacesTest {
  @TempDir Path home;
  LocalMemoryService backing;
  OmemHttpServer server;
  RemoteMemoryService alice;
  RemoteMemoryService bob;
  Tenants.NewTenant a;
  Tenants.NewTenant b;
  final Caller me = new Caller(null, null, "test-agent", null);

  @BeforeEach
  void start() throws Exception {
    backing = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(backing.awaitModel(Duration.ofSeconds(120)), "model loads");
    server =
        OmemHttpServer.start(
            backing, backing.tenants(), ServeSettings.defaults("127.0.0.1", 0), "spaces");
    a = backing.tenants().create("alice");
    b = backing.tenants().create("bob");
    alice = RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), a.apiKey());
    bob = RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), b.apiKey());
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    server.close();
    backing.close();
  }

  @Test
  void everySpaceCallRoundTripsThroughTheWire() {
    Space s =
        alice.createSpace(
            me,
            new SpaceRequest(
                "infra", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "reader"))));
    assertEquals(SpaceType.TEAM, s.type());
    assertNull(s.roleOf(b.id()), "bob is invited, not yet a member");
    assertEquals(List.of("personal/" + b.id()), bob.spaces(me).stream().map(Space::id).toList());
    List<Invitation> invited = alice.spaceInvitations(me, s.id());
    assertEquals(List.of(b.id()), invited.stream().map(Invitation::userId).toList());
    Invitation mine = bob.invitations(me).get(0);
    assertEquals(invited.get(0).id(), mine.id());
    assertEquals(SpaceRole.READER, mine.role());
    assertEquals("infra", mine.spaceName());
    OmemException notHis =
        assertThrows(OmemException.class, () -> alice.acceptInvitation(me, mine.id()));
    assertEquals(ErrorCode.NOT_FOUND, notHis.code());
    assertEquals(SpaceRole.READER, bob.acceptInvitation(me, mine.id()).roleOf(b.id()));
    assertTrue(bob.invitations(me).isEmpty());
    assertEquals(
        List.of("personal/" + b.id(), s.id()), bob.spaces(me).stream().map(Space::id).toList());
    assertEquals("infra", bob.space(me, s.id()).name());

    Memory m = alice.store(me, StoreRequest.of("Terraform state lives in the infra-state bucket"));
    ShareResults.Shared first = alice.share(me, m.id(), s.id(), "see runbook");
    ShareResults.Shared again = alice.share(me, m.id(), s.id(), null);
    assertTrue(first.created());
    assertFalse(again.created(), "a repeat share is told apart by its 200");
    assertEquals(first.copy().id(), again.copy().id());
    assertEquals("test-agent", first.copy().provenance().get("shared_by_agent"));

    List<String> found =
        bob.search(me, SearchRequest.of("where is the terraform state")).results().stream()
            .map(r -> r.memory().id())
            .toList();
    assertTrue(found.contains(first.copy().id()), found.toString());
    assertFalse(bob.staleInfo(me, first.copy().id()).isStale());
    assertNull(alice.staleInfo(me, m.id()), "an original is no shared copy");

    OmemException denied =
        assertThrows(
            OmemException.class,
            () -> bob.store(me, new StoreRequest("x", null, null, null, null, null, s.id())));
    assertEquals(ErrorCode.FORBIDDEN, denied.code(), "403 reads back as FORBIDDEN");

    Space renamed = alice.renameSpace(me, s.id(), "infrastructure");
    assertEquals("infrastructure", renamed.name());
    assertEquals(SpaceRole.MEMBER, alice.putMember(me, s.id(), b.id(), "member").roleOf(b.id()));
    var rule =
        alice.addAutoShareRule(
            me, s.id(), new AutoShareRuleRequest(null, List.of("cases"), null, 0.5, false));
    assertEquals(
        List.of(rule.id()), alice.autoShareRules(me, s.id()).stream().map(r -> r.id()).toList());
    alice.deleteAutoShareRule(me, s.id(), rule.id());
    assertTrue(alice.autoShareRules(me, s.id()).isEmpty());

    ShareResults.Shared pulled = bob.pull(me, first.copy().id(), s.id());
    assertEquals("personal/" + b.id(), pulled.copy().spaceId());
    ShareResults.Batch batch = alice.batchShare(me, List.of(m.id(), "no-such-id"), s.id());
    assertEquals(1, batch.succeeded().size());
    assertEquals("no-such-id", batch.failed().get(0).memoryId());
    ShareResults.All all = alice.shareAll(me, s.id(), null);
    assertEquals(1, all.total());
    assertEquals(1, all.skippedExisting());

    assertEquals(1, alice.unshare(me, m.id(), s.id()).removed());
    ShareResults.ToUser t = alice.shareToUser(me, m.id(), b.id(), null);
    assertTrue(t.spaceCreated());
    assertTrue(t.invitationPending());
    ShareResults.AllToUser allToUser = alice.shareAllToUser(me, b.id(), null);
    assertEquals(t.spaceId(), allToUser.spaceId());
    assertTrue(allToUser.invitationPending());
    assertEquals(1, allToUser.counts().skippedExisting());
    Invitation bridge = bob.invitations(me).get(0);
    bob.declineInvitation(me, bridge.id());
    assertTrue(alice.spaceInvitations(me, t.spaceId()).isEmpty());
    alice.putMember(me, t.spaceId(), b.id(), "member");
    Invitation reinvited = alice.spaceInvitations(me, t.spaceId()).get(0);
    alice.revokeInvitation(me, t.spaceId(), reinvited.id());
    assertTrue(bob.invitations(me).isEmpty());

    assertEquals(1, alice.removeMember(me, s.id(), b.id()).members().size());
    OmemException gone = assertThrows(OmemException.class, () -> bob.space(me, s.id()));
    assertEquals(ErrorCode.NOT_FOUND, gone.code());
    alice.deleteSpace(me, s.id());
    assertEquals(2, alice.spaces(me).size(), "personal and the bridging space remain");
  }
}
