package dev.omem.service;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.ingest.Redactor;
import dev.omem.store.SpaceRepository;
import dev.omem.store.TenantRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creating and managing spaces, their members and auto-share rules, with the roles' rights: only
 * admins manage, a member may leave, a space keeps at least one admin.
 */
final class Spaces {
  /** ourmem gives no limit; 100 characters keeps a name a name. */
  static final int MAX_NAME = 100;

  private final SpaceRepository repo;
  private final SpaceAccess access;
  private final TenantRepository tenantRows;
  private final Tenants tenants;
  private final String localTenant;
  private final Clock clock;

  Spaces(
      SpaceRepository repo,
      SpaceAccess access,
      TenantRepository tenantRows,
      Tenants tenants,
      String localTenant,
      Clock clock) {
    this.repo = repo;
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
    List<Space.Member> members = new ArrayList<>();
    members.add(new Space.Member(tenant, SpaceRole.ADMIN, now));
    if (r.members() != null) {
      for (SpaceRequest.MemberRequest m : r.members()) {
        String user = user(m.userId());
        SpaceRole role = m.role() == null ? SpaceRole.MEMBER : SpaceRole.parse(m.role());
        if (!user.equals(tenant)) {
          members.removeIf(x -> x.userId().equals(user));
          members.add(new Space.Member(user, role, now));
        }
      }
    }
    String id = type.prefix() + "/" + UUID.randomUUID();
    Space s = new Space(id, type, name, tenant, members, null, now, now);
    repo.insert(s);
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
    repo.putMember(
        spaceId, new Space.Member(user, role, old == null ? clock.instant() : old.joinedAt()));
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
