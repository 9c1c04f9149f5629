package dev.omem.service;

import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.store.SpaceRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which spaces a tenant may read and write: its personal space and the spaces it is a member of,
 * read from SQLite on every call, so that removing a member holds from the next request.
 *
 * <p>A memory's {@code tenant_id} column is its <em>partition</em>: the owner's tenant id for a
 * personal space, the space id for a team or organization space. Every tenant-keyed read (store,
 * index filter, history) then serves a space unchanged.
 */
final class SpaceAccess {
  /** What a tenant may do in one space. */
  record Grant(String spaceId, String partition, SpaceType type, SpaceRole role) {
    /** Admins write everywhere; members in team spaces; organization spaces are read-only. */
    boolean canWrite() {
      return role == SpaceRole.ADMIN || (role == SpaceRole.MEMBER && type == SpaceType.TEAM);
    }

    /** This grant, or FORBIDDEN saying why it does not let its holder write. */
    Grant requireWrite() {
      if (!canWrite()) {
        throw OmemException.forbidden(
            "your role in "
                + spaceId
                + " is "
                + role.wire()
                + (type == SpaceType.ORGANIZATION
                    ? "; an organization space is written by its admins only"
                    : "; readers cannot write"));
      }
      return this;
    }
  }

  private final SpaceRepository spaces;

  SpaceAccess(SpaceRepository spaces) {
    this.spaces = spaces;
  }

  static String personalSpace(String tenant) {
    return SpaceType.PERSONAL.prefix() + "/" + tenant;
  }

  /** The partition ({@code memories.tenant_id}) of a space id. */
  static String partitionOf(String spaceId) {
    return SpaceType.ofId(spaceId) == SpaceType.PERSONAL
        ? spaceId.substring(SpaceType.PERSONAL.prefix().length() + 1)
        : spaceId;
  }

  /** The space id of a partition: the inverse of {@link #partitionOf}. */
  static String spaceOfPartition(String partition) {
    SpaceType t = SpaceType.ofId(partition);
    return t == SpaceType.TEAM || t == SpaceType.ORGANIZATION
        ? partition
        : personalSpace(partition);
  }

  Grant personal(String tenant) {
    return new Grant(personalSpace(tenant), tenant, SpaceType.PERSONAL, SpaceRole.ADMIN);
  }

  /** Every space {@code tenant} can read, its personal space first. */
  List<Grant> all(String tenant) {
    List<Grant> out = new ArrayList<>();
    out.add(personal(tenant));
    for (Space s : spaces.spacesOf(tenant)) {
      out.add(new Grant(s.id(), s.id(), s.type(), s.roleOf(tenant)));
    }
    return out;
  }

  /**
   * The spaces named (ids, or {@code all}), each readable by {@code tenant}; null or empty means
   * all of them. A space the tenant cannot see is reported as absent, never as forbidden.
   */
  List<Grant> readable(String tenant, List<String> spaceIds) {
    if (spaceIds == null
        || spaceIds.isEmpty()
        || spaceIds.stream().anyMatch(s -> s.trim().equalsIgnoreCase("all"))) {
      return all(tenant);
    }
    Map<String, Grant> out = new LinkedHashMap<>();
    for (String id : spaceIds) {
      Grant g = readable(tenant, id.trim());
      out.put(g.spaceId(), g);
    }
    return List.copyOf(out.values());
  }

  /** The grant for one space id, or NOT_FOUND when the tenant is not a member. */
  Grant readable(String tenant, String spaceId) {
    if (spaceId == null || spaceId.isBlank()) {
      throw OmemException.invalid("space must not be empty");
    }
    SpaceType type = SpaceType.ofId(spaceId);
    if (type == null) {
      throw OmemException.invalid(
          "space '" + spaceId + "' is not a space id (personal/…, team/… or org/…)");
    }
    if (type == SpaceType.PERSONAL) {
      if (spaceId.equals(personalSpace(tenant))) {
        return personal(tenant);
      }
      throw notFound(spaceId);
    }
    Space s = spaces.find(spaceId).orElseThrow(() -> notFound(spaceId));
    SpaceRole role = s.roleOf(tenant);
    if (role == null) {
      throw notFound(spaceId);
    }
    return new Grant(s.id(), s.id(), s.type(), role);
  }

  /** The grant for writing memories into a space: FORBIDDEN for a reader. */
  Grant writable(String tenant, String spaceId) {
    return readable(tenant, spaceId).requireWrite();
  }

  /** The grant of the partition a memory lives in, when {@code tenant} can read it. */
  Grant ofPartition(String tenant, String partition) {
    return readable(tenant, spaceOfPartition(partition));
  }

  static OmemException notFound(String spaceId) {
    return OmemException.notFound("no space " + spaceId + " that you are a member of");
  }
}
