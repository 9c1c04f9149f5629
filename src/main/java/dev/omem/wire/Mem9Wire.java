package dev.omem.wire;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.ListRequest;
import dev.omem.service.SearchRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mem9's {@code /v1alpha2/mem9s} dialect: its Memory and list shapes from mem9-ai/mem9's
 * docs/api/openapi.json (commit 0449b15c7cfb37bd98dbdef26c92ec83b0687bb2, read for issue 17), its
 * query parameters read into omem's requests. Its create body is ourmem's ({@link MemoryBody}:
 * {@code content} or {@code messages}, {@code tags}, {@code agent_id}, {@code session_id}, {@code
 * mode}); its update body ourmem's {@link MemoryUpdateBody} ({@code content}, {@code tags}).
 */
public final class Mem9Wire {
  /** mem9 answers a limit outside 1–200 with its default rather than an error (openapi.json). */
  static final int DEFAULT_LIMIT = 20;

  static final int MAX_LIMIT = 200;

  private Mem9Wire() {}

  /** A Memory as mem9 writes it; {@code score} only in search answers. */
  public static Map<String, Object> memory(Memory m, Double score) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", m.id());
    j.put("content", m.content());
    j.put("memory_type", m.memoryType().wire());
    j.put("source", m.source());
    j.put("tags", m.tags());
    j.put("metadata", null);
    j.put("agent_id", m.agentId());
    j.put("session_id", m.sessionId());
    j.put("superseded_by", m.supersededBy());
    j.put("state", m.state().wire());
    j.put("version", m.version());
    j.put("created_at", m.createdAt() == null ? null : m.createdAt().toString());
    j.put("updated_at", m.updatedAt() == null ? null : m.updatedAt().toString());
    if (score != null) {
      j.put("score", score);
    }
    return j;
  }

  /** The limit mem9 means: its default for a missing, non-positive or too large one. */
  static int limit(QueryParams q) {
    Integer l = q.intParam("limit");
    return l == null || l <= 0 || l > MAX_LIMIT ? DEFAULT_LIMIT : l;
  }

  /** {@code GET …/memories?q=}: a search over every space the key reads. */
  public static SearchRequest search(QueryParams q) {
    if ("keyword".equals(q.param("search_mode"))) {
      throw OmemException.invalid("search_mode keyword is not supported; omit it");
    }
    return SearchRequest.builder(q.param("q"))
        .limit(limit(q))
        .tags(q.listParam("tags"))
        .scope("all")
        .states(q.param("state") == null ? null : List.of(q.param("state")))
        .source(q.param("source"))
        .agentId(q.param("agent_id"))
        .build();
  }

  /** {@code GET …/memories} without {@code q}: a page, newest change first by default. */
  public static ListRequest list(QueryParams q) {
    Integer offset = q.intParam("offset");
    String sortBy = q.param("sort_by");
    if (sortBy != null && !sortBy.equals("updated_at")) {
      throw OmemException.invalid("sort_by " + sortBy + " is not supported; use updated_at");
    }
    return ListRequest.builder()
        .limit(limit(q))
        .offset(offset == null || offset < 0 ? 0 : offset)
        .tags(q.listParam("tags"))
        .scope("all")
        .state(q.param("state"))
        .memoryType(q.param("memory_type"))
        .sort("updated_at")
        .order(q.param("sort_dir") == null ? "desc" : q.param("sort_dir"))
        .build();
  }

  /** {@code {memories, total, limit, offset}} of a listing. */
  public static Map<String, Object> page(MemoryPage page) {
    return list(
        page.memories().stream().map(m -> memory(m, null)).toList(),
        page.totalCount(),
        page.limit(),
        page.offset());
  }

  /** {@code {memories, total, limit, offset}} of a search, each memory with its score. */
  public static Map<String, Object> results(SearchOutcome out, int limit) {
    List<Map<String, Object>> ms =
        out.results().stream().map((ScoredMemory s) -> memory(s.memory(), s.score())).toList();
    return list(ms, ms.size(), limit, 0);
  }

  private static Map<String, Object> list(
      List<Map<String, Object>> memories, long total, int limit, int offset) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("memories", memories);
    j.put("total", total);
    j.put("limit", limit);
    j.put("offset", offset);
    return j;
  }
}
