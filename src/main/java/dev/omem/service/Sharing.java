package dev.omem.service;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceType;
import dev.omem.domain.Tier;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Copies of memories between spaces, with provenance. A copy carries the source's content,
 * category, type, tags, scope, importance, confidence and expiry, and provenance naming where it
 * came from; never the source's session, access counts, relations or history, which stay private to
 * the source's space.
 *
 * <p>Over 400 lines because share, pull, unshare, reshare and auto-share are one protocol: each
 * checks for an existing copy under the write lock with the same provenance rules.
 */
final class Sharing {
  private final MemoryRepository repo;
  private final SpaceAccess access;
  private final Spaces spaces;
  private final Clock clock;
  private final MemoryWriter writer;
  private final TrustScreen screen;

  Sharing(
      MemoryRepository repo,
      SpaceAccess access,
      Spaces spaces,
      Clock clock,
      TrustScreen screen,
      MemoryWriter writer) {
    this.screen = screen;
    this.repo = repo;
    this.access = access;
    this.spaces = spaces;
    this.clock = clock;
    this.writer = writer;
  }

  /** Shares {@code source} (readable by the tenant) into {@code targetSpace} (writable). */
  ShareResults.Shared share(
      String tenant, Caller caller, Memory source, String target, String note) {
    SpaceAccess.Grant to = access.writable(tenant, target);
    if (to.partition().equals(source.tenantId())) {
      throw OmemException.invalid("memory " + source.id() + " is already in " + target);
    }
    if (source.state() == MemoryState.DELETED) {
      throw OmemException.invalid("memory " + source.id() + " is deleted; restore it to share it");
    }
    // Whether a copy exists and the copy itself, with no other write between (the write lock).
    return writer.locked(
        () -> {
          Optional<Memory> existing = repo.findCopy(to.partition(), source.id());
          if (existing.isPresent()) {
            return new ShareResults.Shared(existing.get(), false);
          }
          return new ShareResults.Shared(copy(tenant, caller, source, to, note, false), true);
        });
  }

  /** Copies {@code source} into the tenant's personal space ({@code pull}). */
  ShareResults.Shared pull(String tenant, Caller caller, Memory source) {
    return share(tenant, caller, source, SpaceAccess.personalSpace(tenant), null);
  }

  /** Removes the copies of {@code sourceId} from the target space (soft delete, with history). */
  ShareResults.Unshared unshare(String tenant, Caller caller, String sourceId, String target) {
    SpaceAccess.Grant to = access.writable(tenant, target);
    int removed =
        writer.locked(
            () -> {
              int n = 0;
              Optional<Memory> copy;
              while ((copy = repo.findCopy(to.partition(), sourceId)).isPresent()) {
                Memory d =
                    copy.get().edited(null, null, null, null, MemoryState.DELETED, clock.instant());
                writer.commit(
                    new MemoryWrite()
                        .rewrite(d)
                        .history(
                            d, entry(HistoryEntry.Action.UNSHARED, caller, sourceId, "unshared")),
                    null);
                n++;
              }
              return n;
            });
    if (removed == 0) {
      throw OmemException.notFound("memory " + sourceId + " has no shared copy in " + target);
    }
    return new ShareResults.Unshared(target, removed);
  }

  ShareResults.All shareAll(
      String tenant, Caller caller, String target, ShareResults.Filters filters) {
    access.writable(tenant, target);
    List<Memory> candidates = personalMatching(tenant, filters);
    int shared = 0;
    int existing = 0;
    int failed = 0;
    for (Memory m : candidates) {
      try {
        if (share(tenant, caller, m, target, null).created()) {
          shared++;
        } else {
          existing++;
        }
      } catch (OmemException e) {
        failed++;
      }
    }
    return new ShareResults.All(candidates.size(), shared, existing, failed);
  }

  /**
   * The team space that bridges the tenant and {@code targetUser}: one made for them where the user
   * is a member or invited, else a new one with the tenant as admin and the user invited. The user
   * sees nothing of it before accepting the invitation.
   */
  Bridge bridge(String tenant, String targetUserRef) {
    String user = spaces.user(targetUserRef);
    if (user.equals(tenant)) {
      throw OmemException.invalid("target_user is yourself; share into a space instead");
    }
    String name = bridgeName(tenant, user);
    for (Space s : spaces.memberships(tenant)) {
      if (s.type() == SpaceType.TEAM
          && s.name().equals(name)
          && access.readable(tenant, s.id()).canWrite()) {
        if (s.roleOf(user) != null) {
          return new Bridge(s.id(), false, false);
        }
        if (spaces.invitation(s.id(), user).isPresent()) {
          return new Bridge(s.id(), false, true);
        }
      }
    }
    Space s =
        spaces.create(
            tenant,
            new SpaceRequest(
                name, "team", List.of(new SpaceRequest.MemberRequest(user, "member"))));
    return new Bridge(s.id(), true, true);
  }

  /** The space two users share memories through; {@code pending} until the user accepts. */
  record Bridge(String spaceId, boolean created, boolean pending) {}

  /** A bridging space's name: both ids, in a fixed order, so either user finds the same one. */
  private static String bridgeName(String a, String b) {
    return a.compareTo(b) < 0 ? "shared: " + a + " + " + b : "shared: " + b + " + " + a;
  }

  /**
   * Applies the tenant's own auto-share rules to a memory it has just written: a copy in each space
   * whose rule matches and where the tenant may write. A rule copies only its creator's memories,
   * from a space the creator owns: another member's rule never reads this tenant's memories.
   */
  void autoShare(String tenant, Caller caller, Memory written) {
    for (Space s : spaces.memberships(tenant)) {
      for (AutoShareRule rule : s.autoShareRules()) {
        if (!tenant.equals(rule.createdBy()) || !spaces.owns(tenant, written.spaceId())) {
          continue;
        }
        boolean fromHere =
            rule.sourceSpace() == null
                ? written.spaceId().equals(SpaceAccess.personalSpace(tenant))
                : rule.sourceSpace().equals(written.spaceId());
        if (fromHere && rule.matches(written)) {
          try {
            SpaceAccess.Grant to = access.writable(tenant, s.id());
            writer.locked(
                () ->
                    repo.findCopy(to.partition(), written.id()).isPresent()
                        ? null
                        : copy(
                            tenant,
                            caller,
                            written,
                            to,
                            "auto-share rule " + rule.id(),
                            rule.requireApproval()));
          } catch (OmemException e) {
            // A reader's rule, or a space left since: nothing to share there.
          }
          break;
        }
      }
    }
  }

  /**
   * Refreshes a shared copy from its source (ourmem's reshare): the source's current content, tags,
   * category, importance, expiry and vector, provenance {@code source_version} moved to the
   * source's version; the copy keeps its id and its version goes up by one. ourmem makes a new copy
   * and deletes the old one; keeping the id keeps every reference to the copy valid. Only a caller
   * who can read the source may refresh it: the refresh shares the source's new text, which its
   * owner never shared (anyone else is told the source is not found). A copy that is not stale is
   * answered as it is ({@code created} false).
   */
  ShareResults.Shared reshare(String tenant, Caller caller, Memory copy) {
    Object fromSpace = copy.provenance().get("shared_from_space");
    Object fromMemory = copy.provenance().get("shared_from_memory");
    if (fromSpace == null || fromMemory == null) {
      throw OmemException.invalid(
          "memory " + copy.id() + " is not a shared copy; only a copy can be reshared");
    }
    access.ofPartition(tenant, copy.tenantId()).requireWrite();
    String sourceSpace = fromSpace.toString();
    String sourceId = fromMemory.toString();
    OmemException gone =
        OmemException.notFound("source memory " + sourceId + " no longer exists in " + sourceSpace);
    SpaceAccess.Grant from;
    try {
      from = access.readable(tenant, sourceSpace);
    } catch (OmemException e) {
      throw gone;
    }
    StoredMemory stored = repo.findStored(List.of(sourceId)).get(sourceId);
    return writer.locked(
        () -> {
          Memory now = repo.find(copy.tenantId(), copy.id()).orElseThrow(() -> gone);
          Memory source =
              repo.find(from.partition(), sourceId)
                  .filter(m -> m.state() != MemoryState.DELETED)
                  .orElseThrow(() -> gone);
          long copied = ((Number) now.provenance().getOrDefault("source_version", 1)).longValue();
          if (copied == source.version() && now.content().equals(source.content())) {
            return new ShareResults.Shared(now, false);
          }
          Map<String, Object> provenance = new LinkedHashMap<>(now.provenance());
          provenance.put("source_version", source.version());
          provenance.put("shared_at", clock.instant().toString());
          boolean contentChanged = !now.content().equals(source.content());
          Memory refreshed =
              now
                  .edited(
                      source.content(),
                      source.tags(),
                      source.category(),
                      source.importance(),
                      null,
                      clock.instant())
                  .toBuilder()
                  .provenance(provenance)
                  .expiresAt(source.expiresAt())
                  .build();
          float[] vector = contentChanged && stored != null ? stored.vector() : null;
          Memory screened = screen.screened(refreshed.withTrust(source.trust()), vector);
          writer.commit(
              new MemoryWrite()
                  .rewrite(screened, contentChanged, vector, vector == null ? null : stored.model())
                  .history(
                      screened,
                      entry(
                          HistoryEntry.Action.UPDATED,
                          caller,
                          sourceId,
                          "reshared: source version " + source.version())),
              null);
          return new ShareResults.Shared(screened, true);
        });
  }

  /** The staleness of a shared copy; null for a memory that is not one. */
  ShareResults.StaleInfo staleInfo(Memory copy) {
    Object fromSpace = copy.provenance().get("shared_from_space");
    Object fromMemory = copy.provenance().get("shared_from_memory");
    if (fromSpace == null || fromMemory == null) {
      return null;
    }
    long copied = ((Number) copy.provenance().getOrDefault("source_version", 1)).longValue();
    Optional<Memory> source =
        repo.find(SpaceAccess.partitionOf(fromSpace.toString()), fromMemory.toString());
    if (source.isEmpty() || source.get().state() == MemoryState.DELETED) {
      return new ShareResults.StaleInfo(
          true, copied, source.map(Memory::version).orElse(null), true);
    }
    long now = source.get().version();
    return new ShareResults.StaleInfo(now > copied, copied, now, false);
  }

  private List<Memory> personalMatching(String tenant, ShareResults.Filters f) {
    Set<Category> categories =
        f == null || f.categories() == null
            ? Set.of()
            : Set.copyOf(f.categories().stream().map(RequestValidator::category).toList());
    List<String> tags = f == null ? List.of() : RequestValidator.tags(f.tags());
    double min = f == null ? 0 : RequestValidator.unit("min_importance", f.minImportance(), 0);
    MemoryFilter filter = MemoryFilter.builder(tenant).tags(tags).categories(categories).build();
    return repo.list(filter, ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0).memories().stream()
        .filter(m -> m.importance() >= min)
        .toList();
  }

  private Memory copy(
      String tenant,
      Caller caller,
      Memory source,
      SpaceAccess.Grant to,
      String note,
      boolean pendingApproval) {
    Instant now = clock.instant();
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("shared_from_space", source.spaceId());
    provenance.put("shared_from_memory", source.id());
    provenance.put("shared_by_user", tenant);
    if (caller.agentId() != null) {
      provenance.put("shared_by_agent", caller.agentId());
    }
    provenance.put("shared_at", now.toString());
    provenance.put("original_created_at", source.createdAt().toString());
    provenance.put("source_version", source.version());
    if (note != null && !note.isBlank()) {
      provenance.put("note", RequestValidator.content(note));
    }
    if (pendingApproval) {
      provenance.put("pending_approval", true);
    }
    Memory plain =
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId(to.partition())
            .spaceId(to.spaceId())
            .content(source.content())
            .category(source.category())
            .memoryType(source.memoryType())
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(source.importance())
            .confidence(source.confidence())
            .tags(source.tags())
            .scope(source.scope())
            .agentId(caller.agentId())
            .source(source.source())
            .provenance(provenance)
            .version(1)
            .createdAt(now)
            .updatedAt(now)
            .expiresAt(source.expiresAt())
            .build();
    StoredMemory stored = repo.findStored(List.of(source.id())).get(source.id());
    // A copy keeps its source's confirmation, and its text is screened again here: a space may
    // receive it from a store that screened less, or not at all (issue 14).
    Memory copy =
        screen.screened(plain.withTrust(source.trust()), stored == null ? null : stored.vector());
    // A copy may repeat a text its space holds already (the dialect shares each memory): it is
    // left out of the unique index of active text.
    writer.commit(
        new MemoryWrite()
            .insert(
                new StoredMemory(
                    copy,
                    stored == null ? null : stored.vector(),
                    stored == null ? null : stored.model(),
                    true))
            .history(
                copy,
                entry(HistoryEntry.Action.CREATED, caller, null, "shared from " + source.spaceId()))
            .history(
                source,
                entry(HistoryEntry.Action.SHARED, caller, copy.id(), "shared to " + to.spaceId())),
        null);
    return copy;
  }

  private HistoryEntry entry(HistoryEntry.Action a, Caller caller, String related, String note) {
    return new HistoryEntry(
        a, clock.instant(), caller.sessionId(), caller.agentId(), "share", related, note);
  }

  /** Wraps the sharing of several memories for batch-share. */
  ShareResults.Batch batch(
      String tenant,
      Caller caller,
      List<String> ids,
      String target,
      java.util.function.Function<String, Memory> find) {
    access.writable(tenant, target);
    List<Memory> ok = new ArrayList<>();
    List<ShareResults.Failure> failed = new ArrayList<>();
    for (String id : ids) {
      try {
        ok.add(share(tenant, caller, find.apply(id), target, null).copy());
      } catch (OmemException e) {
        failed.add(new ShareResults.Failure(id, e.getMessage()));
      }
    }
    return new ShareResults.Batch(ok, failed);
  }
}
