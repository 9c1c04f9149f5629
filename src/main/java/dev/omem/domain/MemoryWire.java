package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * ourmem's Memory JSON (docs/rest-api.md) bound by Jackson, both ways: each field name is written
 * here once, in the order omem writes them, nulls included. {@link #of} is what every face renders;
 * {@link #memory} reads an answer back (the remote client, export files), lenient where ourmem
 * servers differ from omem:
 *
 * <ul>
 *   <li>unknown fields are ignored (ourmem sends extras such as {@code stale_info});
 *   <li>omem's extensions may be missing: {@code expires_at} and {@code tenant_id} become null,
 *       {@code confirmed} true and {@code flag} null, {@code scope} comes from {@code project} when
 *       only that is given, else {@code global};
 *   <li>missing ourmem fields take ourmem's defaults (state active, tier peripheral, memory_type
 *       pinned, importance and confidence 0.5, version 1; category entities, the classifier's
 *       fallback); an enum value omem does not know falls back to the same default, so a newer
 *       server cannot make a whole answer unreadable;
 *   <li>a time that is present but not RFC 3339 is an error, not a silent null;
 *   <li>{@code l0_abstract}, {@code l1_overview}, {@code visibility} and {@code owner_agent_id} are
 *       derived when written ({@link MemoryLayers}) and not read back; {@code l2_content} is read
 *       as the content when {@code content} is missing.
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryWire(
    @JsonProperty("id") String id,
    @JsonProperty("content") String content,
    @JsonProperty("category") String category,
    @JsonProperty("memory_type") String memoryType,
    @JsonProperty("state") String state,
    @JsonProperty("tier") String tier,
    @JsonProperty("importance") Double importance,
    @JsonProperty("confidence") Double confidence,
    @JsonProperty("access_count") Long accessCount,
    @JsonProperty("last_accessed_at") Instant lastAccessedAt,
    @JsonProperty("tags") List<String> tags,
    @JsonProperty("scope") String scope,
    @JsonProperty("project") String project,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("session_id") String sessionId,
    @JsonProperty("source") String source,
    @JsonProperty("relations") Relations relations,
    @JsonProperty("superseded_by") String supersededBy,
    @JsonProperty("invalidated_at") Instant invalidatedAt,
    @JsonProperty("space_id") String spaceId,
    @JsonProperty("provenance") Map<String, Object> provenance,
    @JsonProperty("version") Long version,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("tenant_id") String tenantId,
    // omem's trust extension (issue 14); ourmem clients ignore fields they do not know.
    @JsonProperty("confirmed") Boolean confirmed,
    @JsonProperty("flag") String flag,
    // ourmem's layers and ownership (issue 17), derived from the fields above: MemoryLayers.
    @JsonProperty("l0_abstract") String l0Abstract,
    @JsonProperty("l1_overview") String l1Overview,
    @JsonProperty("l2_content") String l2Content,
    @JsonProperty("visibility") String visibility,
    @JsonProperty("owner_agent_id") String ownerAgentId) {

  /** A memory as the wire shows it. */
  public static MemoryWire of(Memory m) {
    return new MemoryWire(
        m.id(),
        m.content(),
        m.category().wire(),
        m.memoryType().wire(),
        m.state().wire(),
        m.tier().wire(),
        m.importance(),
        m.confidence(),
        m.accessCount(),
        m.lastAccessedAt(),
        m.tags(),
        m.scope(),
        m.project(),
        m.agentId(),
        m.sessionId(),
        m.source(),
        new Relations(m.relations()),
        m.supersededBy(),
        m.invalidatedAt(),
        m.spaceId(),
        m.provenance().isEmpty() ? null : m.provenance(),
        m.version(),
        m.createdAt(),
        m.updatedAt(),
        m.expiresAt(),
        m.tenantId(),
        m.trust().confirmed(),
        m.trust().flag(),
        MemoryLayers.abstractOf(m.content()),
        MemoryLayers.overviewOf(m.content()),
        m.content(),
        MemoryLayers.visibility(m.spaceId()),
        // ourmem's owner_agent_id is a string, never null ("" when no agent wrote it).
        m.agentId() == null ? "" : m.agentId());
  }

  /** A memory from its JSON object, with ourmem's defaults where a field is missing. */
  public static Memory memory(JsonNode j) {
    if (j == null || !j.isObject()) {
      throw DomainJson.unreadable(
          "a memory must be a JSON object, got "
              + (j == null ? "nothing" : j.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return DomainJson.read(j, MemoryWire.class).toMemory();
  }

  /** The memory this JSON stands for. */
  public Memory toMemory() {
    return Memory.builder()
        .id(id)
        .tenantId(tenantId)
        .spaceId(spaceId)
        .content(content != null ? content : l2Content)
        .category(Category.parse(category).orElse(Category.ENTITIES))
        .memoryType(enumOr(memoryType, MemoryType.class, MemoryType.PINNED))
        .state(enumOr(state, MemoryState.class, MemoryState.ACTIVE))
        .tier(enumOr(tier, Tier.class, Tier.PERIPHERAL))
        .importance(importance == null ? 0.5 : importance)
        .confidence(confidence == null ? 0.5 : confidence)
        .accessCount(accessCount == null ? 0 : accessCount)
        .lastAccessedAt(lastAccessedAt)
        .tags(tags == null ? List.of() : tags.stream().filter(Objects::nonNull).toList())
        .scope(scope != null ? scope : project != null ? Scope.project(project) : Scope.GLOBAL)
        .agentId(
            agentId != null || ownerAgentId == null || ownerAgentId.isBlank()
                ? agentId
                : ownerAgentId)
        .sessionId(sessionId)
        .source(source)
        .relations(relations == null ? Map.of() : relations.byKind())
        .supersededBy(supersededBy)
        .invalidatedAt(invalidatedAt)
        .provenance(withoutNulls(provenance))
        .version(version == null ? 1 : version)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .expiresAt(expiresAt)
        // confirmed missing (an ourmem server) means confirmed, as every memory was before.
        .trust(new Trust(confirmed == null || confirmed, flag))
        .build();
  }

  /** One relation as ourmem writes it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Relation(
      @JsonProperty("relation_type") String relationType,
      @JsonProperty("target_id") String targetId) {}

  /**
   * A memory's relations: ourmem's {@code [{relation_type, target_id}]} on the wire; omem's own
   * column form {@code {kind: [ids]}} is read too.
   */
  public record Relations(Map<String, List<String>> byKind) {
    @JsonValue
    public List<Relation> wire() {
      List<Relation> out = new ArrayList<>();
      byKind.forEach((kind, ids) -> ids.forEach(id -> out.add(new Relation(kind, id))));
      return out;
    }

    @JsonCreator
    public static Relations read(JsonNode j) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      if (j != null && j.isObject()) {
        j.properties().forEach(e -> out.put(e.getKey(), texts(e.getValue())));
      } else if (j != null && j.isArray()) {
        for (JsonNode r : j) {
          Relation rel = DomainJson.read(r, Relation.class);
          if (rel.relationType() != null && rel.targetId() != null) {
            out.computeIfAbsent(rel.relationType(), k -> new ArrayList<>()).add(rel.targetId());
          }
        }
      }
      out.replaceAll((kind, ids) -> List.copyOf(ids));
      return new Relations(out);
    }

    private static List<String> texts(JsonNode j) {
      List<String> out = new ArrayList<>();
      j.forEach(
          s -> {
            if (!s.isNull()) {
              out.add(s.asText());
            }
          });
      return out;
    }
  }

  /**
   * The provenance without its null entries: ourmem sends {@code shared_by_agent: null}, and {@link
   * Memory} holds no nulls (an absent key reads the same).
   */
  private static Map<String, Object> withoutNulls(Map<String, Object> provenance) {
    if (provenance == null) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>(provenance);
    out.values().removeIf(Objects::isNull);
    return out;
  }

  private static <E extends Enum<E>> E enumOr(String wire, Class<E> type, E dflt) {
    if (wire == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, wire.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return dflt;
    }
  }
}
