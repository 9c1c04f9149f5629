package dev.omem.ui;

import dev.omem.service.MemoryService;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Stats: the service's stats as charts (memories over time; by category, tier, type, scope...). */
final class StatsPage {
  private final MemoryService service;

  StatsPage(MemoryService service) {
    this.service = service;
  }

  @SuppressWarnings("unchecked")
  void show(UiRequest r) throws IOException {
    Map<String, Object> s = service.stats(r.caller());
    Html h = new Html();
    h.raw("<p class=\"big\">").text(s.get("total") + " memories").raw("</p><dl class=\"fields\">");
    for (String k : List.of("avg_importance", "avg_confidence", "total_access_count")) {
      h.raw("<dt>").text(k.replace('_', ' ')).raw("</dt><dd>").text(s.get(k)).raw("</dd>");
    }
    h.raw("</dl><div class=\"charts\">");
    if (s.get("timeline") instanceof List<?> t) {
      Charts.timeline(h, "New memories per day", (List<Map<String, Object>>) t);
    }
    for (Map.Entry<String, Object> e : s.entrySet()) {
      if (e.getKey().startsWith("by_") && e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
        String title = "By " + e.getKey().substring(3);
        Charts.bars(h, "chart-" + e.getKey(), title, (Map<String, ? extends Number>) m);
      }
    }
    h.raw("</div>");
    r.html(200, Layout.page(r, "Stats", "/ui/stats", null, h.toString()));
  }
}
