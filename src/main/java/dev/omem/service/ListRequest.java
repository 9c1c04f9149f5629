package dev.omem.service;

import java.util.List;

/**
 * A page of memories, filtered and sorted as {@code GET /v1/memories}. Null = default.
 *
 * @param space one space the caller can read; null for its personal space
 * @param narrowing the web UI's further filters (tier, agent, source, dates); null for none
 */
public record ListRequest(
    Integer limit,
    Integer offset,
    String category,
    List<String> tags,
    String scope,
    String state,
    String memoryType,
    String sort,
    String order,
    String space,
    Narrowing narrowing) {

  /**
   * Filters the REST dialect's list has not: one tier, one agent, one source, a creation window
   * ({@code createdFrom} inclusive, {@code createdBefore} exclusive). Null parts do not filter.
   */
  public record Narrowing(
      String tier,
      String agentId,
      String source,
      java.time.Instant createdFrom,
      java.time.Instant createdBefore) {

    /** Only a tier (the REST list's {@code tier}); null when no tier is asked for. */
    public static Narrowing tierOnly(String tier) {
      return tier == null ? null : new Narrowing(tier, null, null, null, null);
    }
  }

  /** The tier asked for, or null. */
  public String tier() {
    return narrowing == null ? null : narrowing.tier();
  }

  /** The first page with every default. */
  public static ListRequest firstPage() {
    return builder().build();
  }

  /**
   * A page; what the builder is not told stays null, and the service applies the default (limit,
   * offset 0, active and archived, created_at descending, the caller's personal space).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The one place a page request's parts are set; null parts take the service's defaults. */
  public static final class Builder {
    private Integer limit;
    private Integer offset;
    private String category;
    private List<String> tags;
    private String scope;
    private String state;
    private String memoryType;
    private String sort;
    private String order;
    private String space;
    private Narrowing narrowing;

    private Builder() {}

    public Builder limit(Integer v) {
      limit = v;
      return this;
    }

    public Builder offset(Integer v) {
      offset = v;
      return this;
    }

    public Builder category(String v) {
      category = v;
      return this;
    }

    public Builder tags(List<String> v) {
      tags = v;
      return this;
    }

    public Builder scope(String v) {
      scope = v;
      return this;
    }

    public Builder state(String v) {
      state = v;
      return this;
    }

    public Builder memoryType(String v) {
      memoryType = v;
      return this;
    }

    public Builder sort(String v) {
      sort = v;
      return this;
    }

    public Builder order(String v) {
      order = v;
      return this;
    }

    public Builder space(String v) {
      space = v;
      return this;
    }

    public Builder narrowing(Narrowing v) {
      narrowing = v;
      return this;
    }

    public ListRequest build() {
      return new ListRequest(
          limit, offset, category, tags, scope, state, memoryType, sort, order, space, narrowing);
    }
  }
}
