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

  public MemoryFilter {
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    tags = tags == null ? List.of() : List.copyOf(tags);
    categories = categories == null ? Set.of() : Set.copyOf(categories);
    states = states == null || states.isEmpty() ? Set.of(MemoryState.ACTIVE) : Set.copyOf(states);
  }

  /** Active memories of a tenant, any scope. */
  public static MemoryFilter activeOf(String tenantId) {
    return builder(tenantId).build();
  }

  /** Active and archived memories of a partition, any scope: what exists until deleted. */
  public static MemoryFilter keptOf(String tenantId) {
    return builder(tenantId).states(Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED)).build();
  }

  /** A filter of the partition {@code tenantId}; each part not set does not filter. */
  public static Builder builder(String tenantId) {
    return new Builder(tenantId);
  }

  /** The one place a filter's parts get their defaults (none: null filters nothing). */
  public static final class Builder {
    private final String tenantId;
    private Set<String> scopes;
    private List<String> tags;
    private Set<Category> categories;
    private Set<MemoryState> states;
    private MemoryType memoryType;
    private String source;
    private String agentId;
    private Instant createdAfter;
    private Instant createdBefore;
    private Tier tier;

    private Builder(String tenantId) {
      this.tenantId = tenantId;
    }

    public Builder scopes(Set<String> v) {
      scopes = v;
      return this;
    }

    public Builder tags(List<String> v) {
      tags = v;
      return this;
    }

    public Builder categories(Set<Category> v) {
      categories = v;
      return this;
    }

    /** Empty or unset: active only. */
    public Builder states(Set<MemoryState> v) {
      states = v;
      return this;
    }

    public Builder memoryType(MemoryType v) {
      memoryType = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public Builder agentId(String v) {
      agentId = v;
      return this;
    }

    public Builder createdAfter(Instant v) {
      createdAfter = v;
      return this;
    }

    public Builder createdBefore(Instant v) {
      createdBefore = v;
      return this;
    }

    public Builder tier(Tier v) {
      tier = v;
      return this;
    }

    public MemoryFilter build() {
      return new MemoryFilter(
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
          tier);
    }
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
        // milliseconds, as the store and the index's LongPoint hold them: a memory in hand (the
        // index's unread writes, a session neighbour) passes exactly when the index would pass it
        && (createdAfter == null || m.createdAt().toEpochMilli() >= createdAfter.toEpochMilli())
        && (createdBefore == null || m.createdAt().toEpochMilli() < createdBefore.toEpochMilli())
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

  /**
   * This filter narrowed to {@code newCategories} (an export's Markdown, one heading at a time).
   */
  public MemoryFilter withCategories(Set<Category> newCategories) {
    return new MemoryFilter(
        tenantId,
        scopes,
        tags,
        newCategories,
        states,
        memoryType,
        source,
        agentId,
        createdAfter,
        createdBefore,
        tier);
  }
}
