package dev.omem.service;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.store.MemoryRepository;
import java.util.List;
import java.util.Map;

/**
 * The spaces-and-sharing half of the local facade ({@link LocalMemoryService}): spaces, members,
 * invitations, auto-share rules and shared copies, each call handed to {@link Spaces} or {@link
 * Sharing} as the caller's tenant. A half of its own so that each half of the facade stays short.
 */
abstract class LocalSpacesFacade implements LocalAdministration {
  private final Spaces spaces;
  private final Sharing sharing;
  private final SpaceAccess access;
  private final MemoryRepository repo;
  private final StatsViews stats;

  LocalSpacesFacade(
      Spaces spaces,
      Sharing sharing,
      SpaceAccess access,
      MemoryRepository repo,
      java.time.Clock clock) {
    this.stats = new StatsViews(repo, access, spaces, clock);
    this.spaces = spaces;
    this.sharing = sharing;
    this.access = access;
    this.repo = repo;
  }

  /** The tenant {@code caller} acts as. */
  abstract String tenant(Caller caller);

  /** The memory {@code id} in any space the caller can read; NOT_FOUND for the others. */
  abstract Memory find(Caller caller, String id);

  /** Soft-deletes every memory of a deleted space's partition. */
  abstract void forgetPartition(String partition);

  @Override
  public Space createSpace(Caller caller, SpaceRequest r) {
    return spaces.create(tenant(caller), r);
  }

  @Override
  public List<Space> spaces(Caller caller) {
    return spaces.list(tenant(caller));
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return spaces.get(tenant(caller), spaceId);
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    return spaces.rename(tenant(caller), spaceId, name);
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    spaces.delete(tenant(caller), spaceId);
    forgetPartition(SpaceAccess.partitionOf(spaceId));
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    return spaces.putMember(tenant(caller), spaceId, userId, role);
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return spaces.removeMember(tenant(caller), spaceId, userId);
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return spaces.invitations(tenant(caller));
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return spaces.spaceInvitations(tenant(caller), spaceId);
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return spaces.accept(tenant(caller), invitationId);
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    spaces.decline(tenant(caller), invitationId);
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    spaces.revoke(tenant(caller), spaceId, invitationId);
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    return spaces.addRule(tenant(caller), spaceId, r);
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    return spaces.rules(tenant(caller), spaceId);
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    spaces.deleteRule(tenant(caller), spaceId, ruleId);
  }

  @Override
  public ShareResults.Shared share(Caller caller, String memoryId, String target, String note) {
    Memory source = find(caller, RequestValidator.id(memoryId));
    return sharing.share(tenant(caller), caller, source, target, note);
  }

  @Override
  public ShareResults.Batch batchShare(Caller caller, List<String> ids, String target) {
    if (ids == null || ids.isEmpty()) {
      throw OmemException.invalid("memory_ids must list at least one id");
    }
    if (ids.size() > Limits.MAX_BATCH_IDS) {
      throw OmemException.invalid(
          ids.size() + " memory_ids given; at most " + Limits.MAX_BATCH_IDS);
    }
    return sharing.batch(
        tenant(caller), caller, ids, target, id -> find(caller, RequestValidator.id(id)));
  }

  @Override
  public ShareResults.All shareAll(Caller caller, String target, ShareResults.Filters filters) {
    return sharing.shareAll(tenant(caller), caller, target, filters);
  }

  @Override
  public ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    String id = RequestValidator.id(memoryId);
    SpaceAccess.Grant from = access.readable(tenant(caller), sourceSpace);
    Memory source =
        repo.find(from.partition(), id)
            .orElseThrow(() -> OmemException.notFound("no memory " + id + " in " + sourceSpace));
    return sharing.pull(tenant(caller), caller, source);
  }

  @Override
  public ShareResults.Unshared unshare(Caller caller, String memoryId, String target) {
    return sharing.unshare(tenant(caller), caller, RequestValidator.id(memoryId), target);
  }

  @Override
  public ShareResults.ToUser shareToUser(
      Caller caller, String memoryId, String targetUser, String note) {
    Memory source = find(caller, RequestValidator.id(memoryId));
    Sharing.Bridge b = sharing.bridge(tenant(caller), targetUser);
    ShareResults.Shared s = sharing.share(tenant(caller), caller, source, b.spaceId(), note);
    return new ShareResults.ToUser(b.spaceId(), s.copy().id(), b.created(), b.pending());
  }

  @Override
  public ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    Sharing.Bridge b = sharing.bridge(tenant(caller), targetUser);
    return new ShareResults.AllToUser(
        b.spaceId(),
        b.created(),
        b.pending(),
        sharing.shareAll(tenant(caller), caller, b.spaceId(), filters));
  }

  /**
   * The memory an OMP id names among the caller's kept memories (active and archived, every space
   * it reads): the one whose provenance keeps that OMP id, else the one whose id begins with its 16
   * hex digits. A scan: OMP ids are no column of the store (a known cost, linear in the memories).
   */
  @Override
  public String ompMemoryId(Caller caller, String ompId) {
    if (ompId == null || !dev.omem.portable.OmpFormat.ID.matcher(ompId).matches()) {
      throw OmemException.notFound("no memory " + ompId + ": OMP ids are mem_ + 16 [a-z0-9]");
    }
    for (SpaceAccess.Grant g : access.all(tenant(caller))) {
      for (Memory m :
          repo.list(
                  dev.omem.domain.MemoryFilter.keptOf(g.partition()),
                  dev.omem.store.ListSort.CREATED_AT,
                  true,
                  Integer.MAX_VALUE,
                  0)
              .memories()) {
        if (dev.omem.portable.OmpFormat.ompId(m).equals(ompId)) {
          return m.id();
        }
      }
    }
    throw OmemException.notFound("no memory with id " + ompId);
  }

  @Override
  public Map<String, Object> statsView(Caller caller, String view, StatsQuery q) {
    return stats.view(tenant(caller), view, q);
  }

  @Override
  public ShareResults.Shared reshare(Caller caller, String memoryId, String targetSpace) {
    Memory copy = find(caller, RequestValidator.id(memoryId));
    if (targetSpace != null && !targetSpace.isBlank() && !targetSpace.equals(copy.spaceId())) {
      throw OmemException.notFound("memory " + memoryId + " is not in " + targetSpace);
    }
    return sharing.reshare(tenant(caller), caller, copy);
  }

  @Override
  public List<Memory> sharedCopies(Caller caller, String memoryId) {
    Memory source = find(caller, RequestValidator.id(memoryId));
    List<Memory> out = new java.util.ArrayList<>();
    for (SpaceAccess.Grant g : access.all(tenant(caller))) {
      if (!g.partition().equals(source.tenantId())) {
        repo.findCopy(g.partition(), source.id()).ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    return sharing.staleInfo(find(caller, RequestValidator.id(memoryId)));
  }
}
