package dev.omem.ui;

import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.SearchTrace;
import dev.omem.domain.TraceStage;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Search: the same hybrid search the agents use, over every scope by default (the UI has no project
 * of its own), with each result's score and the retrieval trace in words.
 */
final class SearchPage {
  private final MemoryService service;

  SearchPage(MemoryService service) {
    this.service = service;
  }

  void show(UiRequest r) throws IOException {
    String q = r.param("q");
    String scope = r.param("scope") == null ? "all" : r.param("scope");
    Html h = new Html();
    h.raw("<form method=\"get\" action=\"/ui/search\" role=\"search\" class=\"bar\">");
    h.raw("<label for=\"q\">Search your memory</label> ");
    h.raw("<input id=\"q\" name=\"q\" type=\"search\" size=\"50\" value=\"").text(q).raw("\"> ");
    Views.select(h, "scope", "Scope", scope, "all", "All", "global", "Global only");
    h.raw("<button type=\"submit\">Search</button></form>");
    if (q != null) {
      SearchOutcome out =
          service.search(
              r.caller(),
              SearchRequest.builder(q).limit(20).scope(scope).includeTrace(true).build());
      h.raw("<h2>").text(out.results().size() + " result" + (out.results().size() == 1 ? "" : "s"));
      h.raw("</h2>");
      if (out.results().isEmpty() && out.reason() != null) {
        h.raw("<p>").text(out.reason()).raw("</p>");
      }
      h.raw("<ol class=\"results\">");
      for (ScoredMemory s : out.results()) {
        Views.summary(h, s.memory(), String.format(Locale.ROOT, "%.2f", s.score()));
      }
      h.raw("</ol>");
      trace(h, out.trace());
    }
    r.html(200, Layout.page(r, "Search", "/ui/search", Views.notice(r), h.toString()));
  }

  /** The retrieval trace in words: what each stage took in, kept, and noted. */
  static void trace(Html h, SearchTrace t) {
    if (t == null) {
      return;
    }
    h.raw("<details class=\"trace\"><summary>Why these results</summary><p>");
    h.text(
        "Searched in "
            + (t.mode() == null ? "the default" : t.mode())
            + " mode; "
            + t.finalCount()
            + " kept in "
            + String.format(Locale.ROOT, "%.0f", t.totalDurationMs())
            + " ms.");
    h.raw("</p><ol>");
    List<TraceStage> stages = t.stages() == null ? List.of() : t.stages();
    for (TraceStage s : stages) {
      h.raw("<li>").text(words(s)).raw("</li>");
    }
    h.raw("</ol></details>");
  }

  static String words(TraceStage s) {
    StringBuilder b = new StringBuilder();
    b.append(s.name().replace('_', ' ')).append(": ");
    b.append(s.inputCount()).append(" in, ").append(s.outputCount()).append(" kept");
    double[] range = s.scoreRange();
    if (range != null && range.length == 2) {
      b.append(String.format(Locale.ROOT, ", scores %.2f to %.2f", range[0], range[1]));
    }
    if (s.note() != null && !s.note().isBlank()) {
      b.append(" (").append(s.note()).append(')');
    }
    return b.append('.').toString();
  }
}
