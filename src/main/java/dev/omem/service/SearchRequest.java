package dev.omem.service;

import dev.omem.domain.ChatModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A search. Null parts take their defaults.
 *
 * @param limit 1 to {@link Limits#MAX_SEARCH_LIMIT}; default {@link Limits#DEFAULT_SEARCH_LIMIT}
 * @param scope {@code project} (default: the caller's project and global), {@code global}, {@code
 *     all}, or {@code project:<key>}
 * @param states state wire names to include; default active only
 * @param countAccess whether the top {@link Limits#ACCESS_COUNTED_RESULTS} results count as
 *     accessed: true for a search someone asked for, false for the hooks' automatic ones (they
 *     count what they inject)
 * @param spaces the spaces to search (ids, or {@code all}); null or empty for every space the
 *     caller can read
 * @param source only memories with this source; null for any
 * @param agentId only memories this agent wrote; null for any
 * @param clientModel the connected MCP client's own model (sampling), to rerank with when the user
 *     chose {@code OMEM_RERANK=sampling}; null otherwise. Used only during this call, never sent
 * @param rerankWait how long a reranking model may be waited on; null for {@link
 *     RerankedSearch#SEARCH_WAIT} (a hook gives its own, shorter time)
 * @param candidates 0, or how many of the closest memories, whatever their score, the answer
 *     carries beside its results: the caller reranks them itself (a thin client with its MCP
 *     client's model), so the service does not rerank this search
 */
public record SearchRequest(
    String query,
    Integer limit,
    List<String> tags,
    String scope,
    List<String> categories,
    Double minScore,
    Instant after,
    Instant before,
    List<String> states,
    boolean includeTrace,
    boolean countAccess,
    List<String> spaces,
    String source,
    String agentId,
    ChatModel clientModel,
    Duration rerankWait,
    int candidates) {

  /** An explicit search of {@code query} with every default: its top results count as accessed. */
  public static SearchRequest of(String query) {
    return builder(query).build();
  }

  /**
   * A search of {@code query}; what the builder is not told keeps its default, here and nowhere
   * else: null parts the service's (limit, scope, min_score, states), no trace, and accesses
   * counted (an explicit search).
   */
  public static Builder builder(String query) {
    return new Builder(query);
  }

  /** The one place a search's parts get their defaults. */
  public static final class Builder {
    private final String query;
    private Integer limit;
    private List<String> tags;
    private String scope;
    private List<String> categories;
    private Double minScore;
    private Instant after;
    private Instant before;
    private List<String> states;
    private boolean includeTrace;
    private boolean countAccess = true;
    private List<String> spaces;
    private String source;
    private String agentId;
    private ChatModel clientModel;
    private Duration rerankWait;
    private int candidates;

    private Builder(String query) {
      this.query = query;
    }

    public Builder limit(Integer v) {
      limit = v;
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

    public Builder categories(List<String> v) {
      categories = v;
      return this;
    }

    public Builder minScore(Double v) {
      minScore = v;
      return this;
    }

    public Builder after(Instant v) {
      after = v;
      return this;
    }

    public Builder before(Instant v) {
      before = v;
      return this;
    }

    public Builder states(List<String> v) {
      states = v;
      return this;
    }

    public Builder includeTrace(boolean v) {
      includeTrace = v;
      return this;
    }

    /** False for a hook's automatic search: it counts what it injects instead. */
    public Builder countAccess(boolean v) {
      countAccess = v;
      return this;
    }

    public Builder spaces(List<String> v) {
      spaces = v;
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

    public Builder clientModel(ChatModel v) {
      clientModel = v;
      return this;
    }

    public Builder rerankWait(Duration v) {
      rerankWait = v;
      return this;
    }

    public Builder candidates(int v) {
      candidates = v;
      return this;
    }

    /** A builder holding every part of {@code r}. */
    public static Builder from(SearchRequest r) {
      return new Builder(r.query())
          .limit(r.limit())
          .tags(r.tags())
          .scope(r.scope())
          .categories(r.categories())
          .minScore(r.minScore())
          .after(r.after())
          .before(r.before())
          .states(r.states())
          .includeTrace(r.includeTrace())
          .countAccess(r.countAccess())
          .spaces(r.spaces())
          .source(r.source())
          .agentId(r.agentId())
          .clientModel(r.clientModel())
          .rerankWait(r.rerankWait())
          .candidates(r.candidates());
    }

    public SearchRequest build() {
      return new SearchRequest(
          query,
          limit,
          tags,
          scope,
          categories,
          minScore,
          after,
          before,
          states,
          includeTrace,
          countAccess,
          spaces,
          source,
          agentId,
          clientModel,
          rerankWait,
          candidates);
    }
  }
}
