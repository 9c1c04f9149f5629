package dev.omem.domain;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which memories a search or list may return. Null or empty parts do not filter.
 *
 * @param tenantId the partition: a tenant's id for its personal memories, a space's id for a team
 *     or organization space (see {@code service.SpaceAccess}); always set
 * @param scopes scopes to include (e.g. {@code global} and the caller's project); empty = any
 * @param tags every tag listed must be present (AND)
 * @param categories any of these categories
 * @param states any of these states; empty means active only
 * @param createdAfter inclusive lower bound on {@code created_at}
 * @param createdBefore exclusive upper bound on {@code created_at}
 * @param tier one decay tier; null for any
 */
public record MemoryFilter(
    String tenantId,
    Set<String> scopes,
    List<String> tags,
    Set<Category> categories,
    Set<MemoryState> states,
    MemoryType memoryType,
    String source,
    String agentId,
    Instant createdAfter,
    Instant createdBefore,
    Tier tier) {

  /** A filter on any tier. */
  public MemoryFilter(
      String tenantId,
      Set<String> scopes,
      List<String> tags,
      Set<Category> categories,
      Set<MemoryState> states,
      MemoryType memoryType,
      String source,
      String agentId,
      Instant createdAfter,
      Instant createdBefore) {
    this(
        tenantId,
        scopes,
        tags,
        categories,
        states,
        memoryType,
        source,
        agentId,
        createdAfter,
        createdBefore,
        null);
  }

  public MemoryFilter {
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    tags = tags == null ? List.of() : List.copyOf(tags);
    categories = categories == null ? Set.of() : Set.copyOf(categories);
    states = states == null || states.isEmpty() ? Set.of(MemoryState.ACTIVE) : Set.copyOf(states);
  }

  /** Active memories of a tenant, any scope. */
  public static MemoryFilter activeOf(String tenantId) {
    return new MemoryFilter(tenantId, null, null, null, null, null, null, null, null, null);
  }

  /** Active and archived memories of a partition, any scope: what exists until deleted. */
  public static MemoryFilter keptOf(String tenantId) {
    return new MemoryFilter(
        tenantId,
        null,
        null,
        null,
        Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED),
        null,
        null,
        null,
        null,
        null);
  }

  /** Whether {@code m} passes this filter (the same test the store and the index apply). */
  public boolean matches(Memory m) {
    return m.tenantId().equals(tenantId)
        && states.contains(m.state())
        && (scopes.isEmpty() || scopes.contains(m.scope()))
        && m.tags().containsAll(tags)
        && (categories.isEmpty() || categories.contains(m.category()))
        && (memoryType == null || memoryType == m.memoryType())
        && (source == null || source.equals(m.source()))
        && (agentId == null || agentId.equals(m.agentId()))
        && (createdAfter == null || !m.createdAt().isBefore(createdAfter))
        && (createdBefore == null || m.createdAt().isBefore(createdBefore))
        && (tier == null || tier == m.tier());
  }

  /** This filter over another partition (a tenant's personal memories, or a space's). */
  public MemoryFilter withTenant(String newTenantId) {
    return new MemoryFilter(
        newTenantId,
        scopes,
        tags,
        categories,
        states,
        memoryType,
        source,
        agentId,
        createdAfter,
        createdBefore,
        tier);
  }

  public MemoryFilter withScopes(Set<String> newScopes) {
    return new MemoryFilter(
        tenantId,
        newScopes,
        tags,
        categories,
        states,
        memoryType,
        source,
        agentId,
        createdAfter,
        createdBefore,
        tier);
  }
}
