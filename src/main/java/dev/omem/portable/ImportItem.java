package dev.omem.portable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One memory to create from a file that is not omem's own: the text and what the file said about
 * it. The importer validates, redacts and completes it like a stored memory (null fields take the
 * store's defaults: the classifier's category, the caller's scope rules, importance 0.5).
 *
 * @param provenance where it came from, kept in the memory's provenance (e.g. {@code omp_id})
 */
public record ImportItem(
    String content,
    String category,
    List<String> tags,
    String scope,
    String source,
    Double importance,
    String sessionId,
    Instant createdAt,
    Instant expiresAt,
    Map<String, Object> provenance) {

  public ImportItem {
    tags = tags == null ? List.of() : List.copyOf(tags);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
  }

  /** Just text and tags, from a given source (Markdown). */
  public static ImportItem of(String content, List<String> tags, String source) {
    return new ImportItem(content, null, tags, null, source, null, null, null, null, null);
  }
}
