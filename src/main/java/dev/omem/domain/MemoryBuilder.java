package dev.omem.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Memory} by field name, so no caller passes 26 positional arguments. Start from
 * {@link Memory#builder()} (a confirmed, active memory with no fields set) or {@link
 * Memory#toBuilder()} (a copy to change).
 */
public final class MemoryBuilder {
  private String id;
  private String tenantId;
  private String spaceId;
  private String content;
  private Category category;
  private MemoryType memoryType;
  private MemoryState state;
  private Tier tier;
  private double importance;
  private double confidence;
  private long accessCount;
  private Instant lastAccessedAt;
  private List<String> tags = List.of();
  private String scope;
  private String agentId;
  private String sessionId;
  private String source;
  private Map<String, List<String>> relations = Map.of();
  private String supersededBy;
  private Instant invalidatedAt;
  private Map<String, Object> provenance = Map.of();
  private long version = 1;
  private Instant createdAt;
  private Instant updatedAt;
  private Instant expiresAt;
  private Trust trust = Trust.CONFIRMED;

  MemoryBuilder() {}

  MemoryBuilder(Memory m) {
    id = m.id();
    tenantId = m.tenantId();
    spaceId = m.spaceId();
    content = m.content();
    category = m.category();
    memoryType = m.memoryType();
    state = m.state();
    tier = m.tier();
    importance = m.importance();
    confidence = m.confidence();
    accessCount = m.accessCount();
    lastAccessedAt = m.lastAccessedAt();
    tags = m.tags();
    scope = m.scope();
    agentId = m.agentId();
    sessionId = m.sessionId();
    source = m.source();
    relations = m.relations();
    supersededBy = m.supersededBy();
    invalidatedAt = m.invalidatedAt();
    provenance = m.provenance();
    version = m.version();
    createdAt = m.createdAt();
    updatedAt = m.updatedAt();
    expiresAt = m.expiresAt();
    trust = m.trust();
  }

  public MemoryBuilder id(String value) {
    id = value;
    return this;
  }

  public MemoryBuilder tenantId(String value) {
    tenantId = value;
    return this;
  }

  public MemoryBuilder spaceId(String value) {
    spaceId = value;
    return this;
  }

  public MemoryBuilder content(String value) {
    content = value;
    return this;
  }

  public MemoryBuilder category(Category value) {
    category = value;
    return this;
  }

  public MemoryBuilder memoryType(MemoryType value) {
    memoryType = value;
    return this;
  }

  public MemoryBuilder state(MemoryState value) {
    state = value;
    return this;
  }

  public MemoryBuilder tier(Tier value) {
    tier = value;
    return this;
  }

  public MemoryBuilder importance(double value) {
    importance = value;
    return this;
  }

  public MemoryBuilder confidence(double value) {
    confidence = value;
    return this;
  }

  public MemoryBuilder accessCount(long value) {
    accessCount = value;
    return this;
  }

  public MemoryBuilder lastAccessedAt(Instant value) {
    lastAccessedAt = value;
    return this;
  }

  public MemoryBuilder tags(List<String> value) {
    tags = value;
    return this;
  }

  public MemoryBuilder scope(String value) {
    scope = value;
    return this;
  }

  public MemoryBuilder agentId(String value) {
    agentId = value;
    return this;
  }

  public MemoryBuilder sessionId(String value) {
    sessionId = value;
    return this;
  }

  public MemoryBuilder source(String value) {
    source = value;
    return this;
  }

  public MemoryBuilder relations(Map<String, List<String>> value) {
    relations = value;
    return this;
  }

  public MemoryBuilder supersededBy(String value) {
    supersededBy = value;
    return this;
  }

  public MemoryBuilder invalidatedAt(Instant value) {
    invalidatedAt = value;
    return this;
  }

  public MemoryBuilder provenance(Map<String, Object> value) {
    provenance = value;
    return this;
  }

  public MemoryBuilder version(long value) {
    version = value;
    return this;
  }

  public MemoryBuilder createdAt(Instant value) {
    createdAt = value;
    return this;
  }

  public MemoryBuilder updatedAt(Instant value) {
    updatedAt = value;
    return this;
  }

  public MemoryBuilder expiresAt(Instant value) {
    expiresAt = value;
    return this;
  }

  public MemoryBuilder trust(Trust value) {
    trust = value;
    return this;
  }

  public Memory build() {
    return new Memory(
        id,
        tenantId,
        spaceId,
        content,
        category,
        memoryType,
        state,
        tier,
        importance,
        confidence,
        accessCount,
        lastAccessedAt,
        tags,
        scope,
        agentId,
        sessionId,
        source,
        relations,
        supersededBy,
        invalidatedAt,
        provenance,
        version,
        createdAt,
        updatedAt,
        expiresAt,
        trust);
  }
}
