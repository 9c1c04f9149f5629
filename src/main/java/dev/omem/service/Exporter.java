package dev.omem.service;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.OmemException;
import dev.omem.portable.MarkdownFormat;
import dev.omem.portable.OmemFormat;
import dev.omem.portable.OmpFormat;
import dev.omem.portable.PortableMemory;
import dev.omem.store.HistoryRepository;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a tenant's memories as a file (docs/rest-api.md, {@code GET /v1/export}). Active and
 * archived memories are exported, deleted ones never (a deleted memory is one its owner wanted
 * gone), oldest first, so that the same store always gives the same file.
 */
final class Exporter {
  private final MemoryRepository repo;
  private final HistoryRepository history;
  private final Clock clock;

  Exporter(MemoryRepository repo, HistoryRepository history, Clock clock) {
    this.repo = repo;
    this.history = history;
    this.clock = clock;
  }

  ExportResult export(String tenant, Caller caller, ExportRequest r) {
    String format =
        r.format() == null || r.format().isBlank()
            ? "omem"
            : r.format().trim().toLowerCase(Locale.ROOT);
    if (!List.of("omem", "omp", "markdown").contains(format)) {
      throw OmemException.invalid(
          "unknown export format '" + r.format() + "'; use omem, omp or markdown");
    }
    Set<String> scopes =
        r.scope() == null || r.scope().isBlank()
            ? Set.of()
            : ScopeRules.readScopes(r.scope(), caller.project());
    MemoryFilter f = MemoryFilter.keptOf(tenant).withScopes(scopes);
    List<Memory> memories =
        repo.list(f, ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0).memories();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return switch (format) {
      case "omp" -> {
        int fit = (int) memories.stream().filter(OmpFormat::exportable).count();
        yield new ExportResult(
            format,
            "application/json",
            OmpFormat.write(memories, now, "omem"),
            fit,
            memories.size() - fit);
      }
      case "markdown" ->
          new ExportResult(
              format,
              "text/markdown; charset=utf-8",
              MarkdownFormat.write(memories, now),
              memories.size(),
              0);
      default -> {
        Map<String, StoredMemory> stored =
            repo.findStored(memories.stream().map(Memory::id).toList());
        List<PortableMemory> out = new ArrayList<>();
        for (Memory m : memories) {
          StoredMemory s = stored.get(m.id());
          out.add(
              new PortableMemory(
                  m,
                  history.of(tenant, m.id()),
                  s == null ? null : s.vector(),
                  s == null ? null : s.model()));
        }
        yield new ExportResult(
            format, "application/json", OmemFormat.write(out, now), out.size(), 0);
      }
    };
  }
}
