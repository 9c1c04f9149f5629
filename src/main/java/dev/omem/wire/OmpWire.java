package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.Scope;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.portable.OmpFormat;
import dev.omem.service.Caller;
import dev.omem.service.ListRequest;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Memory Protocol dialect's bodies (docs/rest-api.md "Open Memory Protocol"): its memory
 * object read into omem's requests, and omem's memories written as OMP objects by the one mapping
 * the OMP export uses ({@link OmpFormat#memory}), so the dialect and the file never differ.
 */
public final class OmpWire {
  /** Every scope: OMP has no notion of omem's default (the caller's project and global). */
  private static final String ANY_SCOPE = "all";

  private OmpWire() {}

  /** OMP's {@code source}: which tool observed the memory, in which session, when. */
  public record Source(
      String tool,
      @JsonProperty("session_id") String sessionId,
      @JsonProperty("user_id") String userId,
      String timestamp) {}

  /**
   * An OMP memory object as a client sends it to create or update one. The server owns {@code id},
   * {@code created_at} and {@code updated_at}; {@code expires_at} and {@code embedding} are not
   * taken (omem finds expiry in the text and embeds with its own model).
   */
  public record MemoryObject(
      String content,
      String type,
      Source source,
      List<String> tags,
      String namespace,
      Map<String, Object> metadata) {

    /** A store: category from the type, scope from the namespace, source from the tool. */
    public StoreRequest store() {
      if (source != null && (source.tool() == null || source.tool().isBlank())) {
        throw OmemException.invalid("source.tool is required (1 to 100 characters)");
      }
      return new StoreRequest(
          content,
          plainTags(),
          source == null ? null : source.tool(),
          OmpFormat.categoryOf(type, tags),
          scope(namespace),
          importance(),
          null);
    }

    /** The session the source names, else the caller's. */
    public Caller caller(Caller c) {
      return source == null || source.sessionId() == null
          ? c
          : new Caller(c.tenantId(), c.project(), c.agentId(), source.sessionId());
    }

    /** An update: only what is given changes; a new type is a new category. */
    public UpdateRequest update(String id) {
      return new UpdateRequest(
          id,
          content,
          tags == null ? null : plainTags(),
          type == null ? null : OmpFormat.categoryOf(type, tags),
          importance(),
          null);
    }

    private List<String> plainTags() {
      if (tags == null) {
        return null;
      }
      // category:<name> is how omem writes its exact category into OMP: read, not stored as a tag
      return tags.stream().filter(t -> t != null && !t.startsWith("category:")).toList();
    }

    private Double importance() {
      Object v = metadata == null ? null : metadata.get("importance");
      return v instanceof Number n ? n.doubleValue() : null;
    }
  }

  /** {@code POST /omp/v1/memories/search}'s body. */
  public record SearchBody(
      String query,
      Integer limit,
      String type,
      List<String> tags,
      String namespace,
      @JsonProperty("min_score") Double minScore) {

    public SearchRequest request() {
      if (query == null || query.isBlank()) {
        throw OmemException.invalid("query is required: the text to search for");
      }
      List<String> categories = type == null ? null : categories(type);
      return SearchRequest.builder(query)
          .limit(limit)
          .tags(tags)
          .scope(namespace == null ? ANY_SCOPE : scope(namespace))
          .categories(categories)
          .minScore(minScore)
          .build();
    }
  }

  /** The categories an OMP type covers (semantic is four of omem's). */
  static List<String> categories(String type) {
    return switch (type) {
      case "episodic" -> List.of("events");
      case "procedural" -> List.of("cases");
      case "semantic" -> List.of("profile", "preferences", "entities", "patterns");
      default ->
          throw OmemException.invalid(
              "type '" + type + "' is not episodic, semantic or procedural");
    };
  }

  /** OMP's namespace as omem's scope: {@code project:<x>} is that project, none is global. */
  static String scope(String namespace) {
    if (namespace == null || namespace.isBlank()) {
      return Scope.GLOBAL;
    }
    if (!namespace.startsWith(Scope.PROJECT_PREFIX)) {
      throw OmemException.invalid(
          "namespace '" + namespace + "': omem keeps project:<name> namespaces only");
    }
    return namespace;
  }

  /** A page of the caller's memories filtered as OMP's list asks. */
  public static ListRequest list(QueryParams q) {
    String type = q.param("type");
    String ns = q.param("namespace");
    return ListRequest.builder()
        .limit(q.intParam("limit"))
        .offset(q.intParam("offset"))
        .category(type == null ? null : single(categories(type), type))
        .tags(q.listParam("tags"))
        .scope(ns == null ? ANY_SCOPE : scope(ns))
        .build();
  }

  private static String single(List<String> categories, String type) {
    if (categories.size() != 1) {
      throw OmemException.invalid(
          "listing by type " + type + " is not supported; search with it, or list by tags");
    }
    return categories.get(0);
  }

  public static Map<String, Object> memory(Memory m) {
    return OmpFormat.memory(m);
  }

  /** {@code {memories, total, limit, offset}}. */
  public static Map<String, Object> page(dev.omem.domain.MemoryPage page) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("memories", page.memories().stream().map(OmpWire::memory).toList());
    out.put("total", page.totalCount());
    out.put("limit", page.limit());
    out.put("offset", page.offset());
    return out;
  }

  /** {@code {results: [{memory, score}]}}: OMP objects, too long ones (over 10,000) left out. */
  public static Map<String, Object> results(SearchOutcome out) {
    List<Map<String, Object>> results = new ArrayList<>();
    for (ScoredMemory s : out.results()) {
      if (OmpFormat.exportable(s.memory())) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("memory", memory(s.memory()));
        r.put("score", s.score());
        results.add(r);
      }
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("results", results);
    return j;
  }
}
