package dev.omem.wire;

import dev.omem.domain.OmemException;
import dev.omem.service.Limits;
import dev.omem.service.SearchRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of {@code GET /v1/memories/search}, both ways: the route reads it, the remote client
 * writes it. {@code count_access} is omem's extension (false: a hook's automatic search, whose
 * results are not counted as accessed), and {@code candidates} (a thin client that reranks with its
 * MCP client's model asks for the closest memories beside the results); {@code project} travels as
 * a header, not here.
 */
public final class SearchParams {
  /** ourmem's default page of search results; the REST dialect keeps it. */
  public static final int REST_DEFAULT_LIMIT = 20;

  private SearchParams() {}

  /** The search a REST request asks for; a missing {@code limit} is the dialect's default. */
  public static SearchRequest read(QueryParams q) {
    String query = q.param("q");
    if (query == null) {
      throw OmemException.invalid("q is required: the text to search for");
    }
    Integer limit = q.intParam("limit");
    String countAccess = q.param("count_access");
    Integer candidates = q.intParam("candidates");
    return SearchRequest.builder(query)
        .limit(limit == null ? REST_DEFAULT_LIMIT : limit)
        .tags(q.listParam("tags"))
        .scope(q.param("scope"))
        .categories(q.listParam("category"))
        .minScore(q.doubleParam("min_score"))
        .after(q.timeParam("after"))
        .before(q.timeParam("before"))
        .states(q.listParam("state"))
        .includeTrace(q.boolParam("include_trace"))
        .countAccess(countAccess == null || q.boolParam("count_access"))
        .spaces(q.listParam("space"))
        .source(q.param("source"))
        .agentId(q.param("agent_id"))
        .candidates(candidates == null ? 0 : candidates)
        .build();
  }

  /**
   * The query the remote client sends for {@code r}. The limit is always explicit: a request
   * without one means the service contract's default ({@link Limits#DEFAULT_SEARCH_LIMIT}, as
   * in-process), not the REST dialect's. {@code min_score} is left to the server when absent: its
   * scale is the server's relevance model's.
   */
  public static Map<String, String> write(SearchRequest r) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("q", r.query());
    q.put("limit", String.valueOf(r.limit() == null ? Limits.DEFAULT_SEARCH_LIMIT : r.limit()));
    put(q, "scope", r.scope());
    put(q, "min_score", r.minScore());
    list(q, "tags", r.tags());
    list(q, "category", r.categories());
    list(q, "state", r.states());
    put(q, "after", time(r.after()));
    put(q, "before", time(r.before()));
    list(q, "space", r.spaces());
    put(q, "source", r.source());
    put(q, "agent_id", r.agentId());
    if (r.includeTrace()) {
      q.put("include_trace", "true");
    }
    if (!r.countAccess()) {
      q.put("count_access", "false");
    }
    if (r.candidates() > 0) {
      q.put("candidates", String.valueOf(r.candidates()));
    }
    return q;
  }

  static void put(Map<String, String> q, String name, Object value) {
    if (value != null) {
      q.put(name, String.valueOf(value));
    }
  }

  /** A list parameter, comma-separated as the dialect has it; null or empty: left out. */
  static void list(Map<String, String> q, String name, List<String> values) {
    if (values != null && !values.isEmpty()) {
      q.put(name, String.join(",", values));
    }
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
