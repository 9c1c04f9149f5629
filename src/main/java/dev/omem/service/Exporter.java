package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.portable.JsonFileWriter;
import dev.omem.portable.MarkdownFormat;
import dev.omem.portable.OmemFormat;
import dev.omem.portable.OmpFormat;
import dev.omem.portable.PortableMemory;
import dev.omem.store.HistoryRepository;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a tenant's memories as a file (docs/rest-api.md, {@code GET /v1/export}). Active and
 * archived memories are exported, deleted ones never (a deleted memory is one its owner wanted
 * gone), oldest first, so that the same store always gives the same file. The file goes to the
 * writer memory by memory: the ids are read first (the snapshot), then the rows a batch at a time,
 * so an export of 100k memories needs the heap of one batch, not of the file (session 12: a 10k
 * export built as one string filled the daemon's 256 MiB heap).
 */
final class Exporter {
  /** Rows read per query: 200 memories with vectors and long contents are a few MiB at most. */
  private static final int BATCH = 200;

  private final MemoryRepository repo;
  private final HistoryRepository history;
  private final Clock clock;

  Exporter(MemoryRepository repo, HistoryRepository history, Clock clock) {
    this.repo = repo;
    this.history = history;
    this.clock = clock;
  }

  ExportResult export(String tenant, Caller caller, ExportRequest r, Writer out) {
    String format = r.formatName();
    Set<String> scopes =
        r.scope() == null || r.scope().isBlank()
            ? Set.of()
            : ScopeRules.readScopes(r.scope(), caller.project());
    MemoryFilter f = MemoryFilter.keptOf(tenant).withScopes(scopes);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    try {
      return switch (format) {
        case "omp" -> {
          JsonFileWriter w = OmpFormat.start(out, now, "omem");
          int[] counts = new int[2];
          each(
              repo.idsOldestFirst(f),
              s -> {
                if (OmpFormat.exportable(s.memory())) {
                  w.item(OmpFormat.memory(s.memory()));
                  counts[0]++;
                } else {
                  counts[1]++;
                }
              });
          w.finish();
          yield new ExportResult(format, r.contentType(), counts[0], counts[1]);
        }
        case "markdown" -> {
          MarkdownFormat.start(out, now);
          int[] count = new int[1];
          for (Category c : Category.values()) {
            List<String> ids = repo.idsOldestFirst(f.withCategories(Set.of(c)));
            if (!ids.isEmpty()) {
              MarkdownFormat.heading(out, c);
              each(
                  ids,
                  s -> {
                    markdownItem(out, s.memory());
                    count[0]++;
                  });
            }
          }
          out.flush();
          yield new ExportResult(format, r.contentType(), count[0], 0);
        }
        default -> {
          JsonFileWriter w = OmemFormat.start(out, now);
          int[] count = new int[1];
          each(
              repo.idsOldestFirst(f),
              s -> {
                Memory m = s.memory();
                w.item(
                    OmemFormat.item(
                        new PortableMemory(m, history.of(tenant, m.id()), s.vector(), s.model())));
                count[0]++;
              });
          w.finish();
          yield new ExportResult(format, r.contentType(), count[0], 0);
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }

  /**
   * Calls {@code sink} for each row of {@code ids} in their order, read {@link #BATCH} at a time; a
   * row deleted since the ids were read is skipped.
   */
  private void each(List<String> ids, Consumer<StoredMemory> sink) {
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + BATCH));
      Map<String, StoredMemory> rows = repo.findStored(part);
      for (String id : part) {
        StoredMemory s = rows.get(id);
        if (s != null && s.memory().state() != MemoryState.DELETED) {
          sink.accept(s);
        }
      }
    }
  }

  private static void markdownItem(Writer out, Memory m) {
    try {
      MarkdownFormat.item(out, m);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }
}
