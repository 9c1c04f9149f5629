package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryBuilder;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.ingest.CategoryClassifier;
import dev.omem.lifecycle.Expiry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A memory to be written, validated once by the same rules for every way in: {@code store}, {@code
 * storeAll}, an import file's items and ingest's facts. Text through the store's gate (redacted,
 * well formed, within the size limit), a category given or classified, the scope by {@link
 * ScopeRules}, importance in [0, 1], and a source of at most {@link Limits#MAX_SOURCE_CHARS}: a
 * longer one is an error everywhere (imports used to cut it silently; an import now lists that item
 * among its errors, so nothing is stored differently from what the file says).
 */
record StoreDraft(
    String content,
    Category category,
    List<String> tags,
    String scope,
    double importance,
    String source) {

  /** A draft of a caller's fields (category by name, or classified from the text when null). */
  static StoreDraft of(
      String content,
      String category,
      List<String> tags,
      String scope,
      Double importance,
      String source,
      String project) {
    String text = RequestValidator.content(content);
    List<String> checkedTags = RequestValidator.tags(tags);
    Category c =
        category == null ? CategoryClassifier.classify(text) : RequestValidator.category(category);
    return checked(text, c, checkedTags, scope, importance, source, project);
  }

  /** A draft of a store request's fields, for a caller in {@code project}. */
  static StoreDraft of(StoreRequest r, String project) {
    return of(r.content(), r.category(), r.tags(), r.scope(), r.importance(), r.source(), project);
  }

  /** A draft of a fact whose category is already known (ingest). */
  static StoreDraft of(
      String content,
      Category category,
      List<String> tags,
      String scope,
      Double importance,
      String source,
      String project) {
    String text = RequestValidator.content(content);
    return checked(text, category, RequestValidator.tags(tags), scope, importance, source, project);
  }

  private static StoreDraft checked(
      String text,
      Category category,
      List<String> tags,
      String scope,
      Double importance,
      String source,
      String project) {
    return new StoreDraft(
        text,
        category,
        tags,
        ScopeRules.storeScope(scope, category, project),
        RequestValidator.unit("importance", importance, 0.5),
        RequestValidator.source(source));
  }

  /**
   * The draft as a new memory of {@code caller} in {@code tenant}'s personal space, written at
   * {@code now}: the one place a stored or imported memory gets its starting fields (active,
   * peripheral, confidence 0.5, version 1, an expiry read from its text).
   */
  MemoryBuilder newMemory(String tenant, Caller caller, MemoryType type, Instant now) {
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId(tenant)
        .spaceId(SpaceAccess.personalSpace(tenant))
        .content(content)
        .category(category)
        .memoryType(type)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(importance)
        .confidence(0.5)
        .tags(tags)
        .scope(scope)
        .agentId(caller.agentId())
        .sessionId(caller.sessionId())
        .source(source)
        .version(1)
        .createdAt(now)
        .updatedAt(now)
        .expiresAt(Expiry.of(content, now));
  }

  /** The draft as a fact for {@link FactWriter}. */
  FactWriter.Candidate candidate(double confidence, MemoryType type) {
    return new FactWriter.Candidate(
        content, category, tags, scope, importance, confidence, source, type);
  }
}
