package dev.omem.service;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.Invitation;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.ingest.Redactor;
import dev.omem.store.InvitationRepository;
import dev.omem.store.SpaceRepository;
import dev.omem.store.TenantRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Creating and managing spaces, their members and auto-share rules, with the roles' rights: only
 * admins manage, a member may leave, a space keeps at least one admin.
 *
 * <p>Membership is consent: naming someone as a member (at creation or later) invites them, and
 * only their accepting makes them a member. Until then the space and the invitee exchange nothing,
 * because every read of membership reads accepted members only.
 */
final class Spaces {
  /** ourmem gives no limit; 100 characters keeps a name a name. */
  static final int MAX_NAME = 100;

  private final SpaceRepository repo;
  private final InvitationRepository invitations;
  private final SpaceAccess access;
  private final TenantRepository tenantRows;
  private final Tenants tenants;
  private final String localTenant;
  private final Clock clock;

  Spaces(
      SpaceRepository repo,
      InvitationRepository invitations,
      SpaceAccess access,
      TenantRepository tenantRows,
      Tenants tenants,
      String localTenant,
      Clock clock) {
    this.repo = repo;
    this.invitations = invitations;
    this.access = access;
    this.tenantRows = tenantRows;
    this.tenants = tenants;
    this.localTenant = localTenant;
    this.clock = clock;
  }

  Space create(String tenant, SpaceRequest r) {
    String name = name(r.name());
    SpaceType type = r.type() == null ? SpaceType.TEAM : SpaceType.parse(r.type());
    if (type == SpaceType.PERSONAL) {
      throw OmemException.invalid("a personal space comes with each tenant; create a team space");
    }
    Instant now = clock.instant();
    Map<String, SpaceRole> invitees = new LinkedHashMap<>();
    if (r.members() != null) {
      for (SpaceRequest.MemberRequest m : r.members()) {
        String user = user(m.userId());
        SpaceRole role = m.role() == null ? SpaceRole.MEMBER : SpaceRole.parse(m.role());
        if (!user.equals(tenant)) {
          invitees.put(user, role);
        }
      }
    }
    String id = type.prefix() + "/" + UUID.randomUUID();
    Space s =
        new Space(
            id,
            type,
            name,
            tenant,
            List.of(new Space.Member(tenant, SpaceRole.ADMIN, now)),
            null,
            now,
            now);
    repo.insert(s);
    invitees.forEach((user, role) -> invite(tenant, id, user, role));
    return s;
  }

  /** The personal space first, then the others the tenant is a member of. */
  List<Space> list(String tenant) {
    List<Space> out = new ArrayList<>();
    out.add(personal(tenant));
    out.addAll(repo.spacesOf(tenant));
    return out;
  }

  Space get(String tenant, String spaceId) {
    SpaceAccess.Grant g = access.readable(tenant, spaceId);
    return g.type() == SpaceType.PERSONAL ? personal(tenant) : stored(g.spaceId());
  }

  Space rename(String tenant, String spaceId, String newName) {
    admin(tenant, spaceId);
    repo.rename(spaceId, name(newName), clock.instant());
    return stored(spaceId);
  }

  /** Removes a team or organization space; the caller deletes its memories. */
  void delete(String tenant, String spaceId) {
    admin(tenant, spaceId);
    repo.delete(spaceId);
  }

  Space putMember(String tenant, String spaceId, String userRef, String roleName) {
    admin(tenant, spaceId);
    String user = user(userRef);
    SpaceRole role = roleName == null ? SpaceRole.MEMBER : SpaceRole.parse(roleName);
    Space s = stored(spaceId);
    if (role != SpaceRole.ADMIN && s.roleOf(user) == SpaceRole.ADMIN && admins(s) == 1) {
      throw OmemException.invalid(spaceId + " needs at least one admin; make another admin first");
    }
    Space.Member old =
        s.members().stream().filter(m -> m.userId().equals(user)).findFirst().orElse(null);
    if (old == null) {
      // Not a member yet: only their accepting makes them one.
      if (!user.equals(tenant)) {
        invite(tenant, spaceId, user, role);
      }
      return s;
    }
    repo.putMember(spaceId, new Space.Member(user, role, old.joinedAt()));
    return stored(spaceId);
  }

  /** Removes a member: an admin may remove anyone, anyone may leave. */
  Space removeMember(String tenant, String spaceId, String userRef) {
    SpaceAccess.Grant g = access.readable(tenant, spaceId);
    requireShared(g);
    String user = user(userRef);
    if (!user.equals(tenant) && g.role() != SpaceRole.ADMIN) {
      throw OmemException.forbidden("only an admin of " + spaceId + " removes other members");
    }
    Space s = stored(spaceId);
    if (s.roleOf(user) == null) {
      // An admin removing someone invited revokes the invitation.
      Optional<Invitation> pending = invitations.find(spaceId, user);
      if (g.role() == SpaceRole.ADMIN && pending.isPresent()) {
        invitations.delete(pending.get().id());
        return s;
      }
      throw OmemException.notFound(user + " is not a member of " + spaceId);
    }
    if (s.roleOf(user) == SpaceRole.ADMIN && admins(s) == 1 && s.members().size() > 1) {
      throw OmemException.invalid(spaceId + " needs at least one admin; make another admin first");
    }
    repo.removeMember(spaceId, user);
    return stored(spaceId);
  }

  AutoShareRule addRule(String tenant, String spaceId, AutoShareRuleRequest r) {
    admin(tenant, spaceId);
    String source = r.sourceSpace() == null || r.sourceSpace().isBlank() ? null : r.sourceSpace();
    if (source != null && SpaceType.ofId(source) == null) {
      throw OmemException.invalid("source_space '" + source + "' is not a space id");
    }
    if (source != null) {
      // A rule copies its creator's own memories only: never a member's, never another space's.
      SpaceAccess.Grant from = access.readable(tenant, source);
      if (!owns(tenant, from.spaceId())) {
        throw OmemException.invalid(
            "source_space "
                + source
                + " is not yours: an auto-share rule copies only your own memories, from spaces"
                + " you own");
      }
    }
    List<Category> categories =
        r.categories() == null
            ? List.of()
            : r.categories().stream().map(RequestValidator::category).toList();
    AutoShareRule rule =
        new AutoShareRule(
            UUID.randomUUID().toString(),
            spaceId,
            source,
            categories,
            RequestValidator.tags(r.tags()),
            r.minImportance() == null
                ? null
                : RequestValidator.unit("min_importance", r.minImportance(), 0),
            Boolean.TRUE.equals(r.requireApproval()),
            tenant,
            clock.instant());
    repo.insertRule(rule);
    return rule;
  }

  List<AutoShareRule> rules(String tenant, String spaceId) {
    return get(tenant, spaceId).autoShareRules();
  }

  void deleteRule(String tenant, String spaceId, String ruleId) {
    admin(tenant, spaceId);
    if (!repo.deleteRule(spaceId, ruleId)) {
      throw OmemException.notFound("no auto-share rule " + ruleId + " in " + spaceId);
    }
  }

  /** Whether {@code tenant} owns the space: its personal space, or one it created. */
  boolean owns(String tenant, String spaceId) {
    if (SpaceType.ofId(spaceId) == SpaceType.PERSONAL) {
      return spaceId.equals(SpaceAccess.personalSpace(tenant));
    }
    return repo.find(spaceId).map(s -> s.ownerId().equals(tenant)).orElse(false);
  }

  // ---- invitations ----

  /** The invitations waiting for {@code tenant}'s answer. */
  List<Invitation> invitations(String tenant) {
    return invitations.forUser(tenant);
  }

  /** The pending invitations of a space, for its admins. */
  List<Invitation> spaceInvitations(String tenant, String spaceId) {
    admin(tenant, spaceId);
    return invitations.ofSpace(spaceId);
  }

  /** Accepts an invitation of {@code tenant}: from now on it is a member. */
  Space accept(String tenant, String invitationId) {
    Invitation i = mine(tenant, invitationId);
    if (!invitations.accept(i, clock.instant())) {
      throw invitationNotFound(invitationId);
    }
    return stored(i.spaceId());
  }

  /** Declines an invitation of {@code tenant}; the space's admins may invite again. */
  void decline(String tenant, String invitationId) {
    if (!invitations.delete(mine(tenant, invitationId).id())) {
      throw invitationNotFound(invitationId);
    }
  }

  /** Withdraws a pending invitation of a space the tenant administers. */
  void revoke(String tenant, String spaceId, String invitationId) {
    admin(tenant, spaceId);
    Invitation i =
        invitations
            .find(invitationId(invitationId))
            .filter(x -> x.spaceId().equals(spaceId))
            .orElseThrow(() -> invitationNotFound(invitationId));
    invitations.delete(i.id());
  }

  /** A pending invitation into the space bridging two users (for share-to-user), if any. */
  Optional<Invitation> invitation(String spaceId, String user) {
    return invitations.find(spaceId, user);
  }

  void invite(String tenant, String spaceId, String user, SpaceRole role) {
    invitations.put(UUID.randomUUID().toString(), spaceId, user, role, tenant, clock.instant());
  }

  /** The tenant's own invitation; any other id, another tenant's included, is not found. */
  private Invitation mine(String tenant, String invitationId) {
    String id = invitationId(invitationId);
    return invitations
        .find(id)
        .filter(i -> i.userId().equals(tenant))
        .orElseThrow(() -> invitationNotFound(id));
  }

  /** An invitation id as given, trimmed; a clear error when there is none. */
  static String invitationId(String raw) {
    if (raw == null || raw.isBlank()) {
      throw OmemException.invalid("invitation_id is required (space_invitations lists them)");
    }
    return raw.trim();
  }

  private static OmemException invitationNotFound(String id) {
    return OmemException.notFound("no invitation " + id + " for you");
  }

  /** The stored spaces of which {@code tenant} is a member, with their rules. */
  List<Space> memberships(String tenant) {
    return repo.spacesOf(tenant);
  }

  /**
   * The tenant a member reference names: a public tenant id, or an API key (ourmem clients send
   * keys where ids are expected). NOT_FOUND when it names no one.
   */
  String user(String ref) {
    if (ref == null || ref.isBlank()) {
      throw OmemException.invalid("user_id must not be empty");
    }
    String r = ref.trim();
    if (r.equals(localTenant) || tenantRows.exists(r)) {
      return r;
    }
    return tenants
        .authenticate(r)
        .orElseThrow(() -> OmemException.notFound("no user " + r + " (give a tenant id)"));
  }

  private void admin(String tenant, String spaceId) {
    SpaceAccess.Grant g = access.readable(tenant, spaceId);
    requireShared(g);
    if (g.role() != SpaceRole.ADMIN) {
      throw OmemException.forbidden(
          "your role in " + spaceId + " is " + g.role().wire() + "; only admins manage it");
    }
  }

  private static void requireShared(SpaceAccess.Grant g) {
    if (g.type() == SpaceType.PERSONAL) {
      throw OmemException.invalid(
          "a personal space has one member; share into a team space instead");
    }
  }

  private Space stored(String id) {
    return repo.find(id).orElseThrow(() -> SpaceAccess.notFound(id));
  }

  private Space personal(String tenant) {
    Instant epoch = Instant.EPOCH;
    return new Space(
        SpaceAccess.personalSpace(tenant),
        SpaceType.PERSONAL,
        "Personal",
        tenant,
        List.of(new Space.Member(tenant, SpaceRole.ADMIN, epoch)),
        null,
        epoch,
        epoch);
  }

  private static long admins(Space s) {
    return s.members().stream().filter(m -> m.role() == SpaceRole.ADMIN).count();
  }

  private static String name(String raw) {
    if (raw == null || raw.isBlank()) {
      throw OmemException.invalid("name must not be empty");
    }
    String n = raw.strip();
    if (n.length() > MAX_NAME) {
      throw OmemException.invalid("name is " + n.length() + " characters; at most " + MAX_NAME);
    }
    return Redactor.clean(TextChecks.visible("name", n)); // stored and shown like content
  }
}
