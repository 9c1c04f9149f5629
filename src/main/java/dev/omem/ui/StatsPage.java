package dev.omem.ui;

import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.service.HookInjection;
import dev.omem.service.MemoryService;
import dev.omem.service.StoreShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stats: the service's stats as charts (memories over time; by category, tier, type, scope...), the
 * top tags, the decay curve of the store, and what the hooks injected into agent sessions lately.
 */
final class StatsPage {
  /** The latest injections shown: a screenful. */
  static final int INJECTIONS = 20;

  private final MemoryService service;

  StatsPage(MemoryService service) {
    this.service = service;
  }

  @SuppressWarnings("unchecked")
  void show(UiRequest r) throws IOException {
    Map<String, Object> s = service.stats(r.caller());
    StoreShape shape = service.shape(r.caller());
    Html h = new Html();
    h.raw("<p class=\"big\">").text(s.get("total") + " memories").raw("</p><dl class=\"fields\">");
    for (String k : List.of("avg_importance", "avg_confidence", "total_access_count")) {
      h.raw("<dt>").text(k.replace('_', ' ')).raw("</dt><dd>").text(s.get(k)).raw("</dd>");
    }
    h.raw("</dl><div class=\"charts\">");
    if (s.get("timeline") instanceof List<?> t) {
      Charts.timeline(h, "New memories per day", (List<Map<String, Object>>) t);
    }
    decay(h, shape);
    if (!shape.topTags().isEmpty()) {
      Charts.bars(h, "chart-tags", "Top tags", shape.topTags());
    }
    for (Map.Entry<String, Object> e : s.entrySet()) {
      if (e.getKey().startsWith("by_") && e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
        String title = "By " + e.getKey().substring(3);
        Charts.bars(h, "chart-" + e.getKey(), title, (Map<String, ? extends Number>) m);
      }
    }
    h.raw("</div>");
    injections(h, r);
    r.html(200, Layout.page(r, "Stats", "/ui/stats", null, h.toString()));
  }

  /** The mean strength of the active memories ahead, as if none were used again. */
  private static void decay(Html h, StoreShape shape) {
    List<Map.Entry<String, Double>> rows = new ArrayList<>();
    long demotedInAYear = 0;
    for (StoreShape.DecayPoint p : shape.decayCurve()) {
      rows.add(Map.entry(p.days() == 0 ? "today" : "in " + p.days() + " days", p.meanStrength()));
      demotedInAYear = p.demoted();
    }
    if (rows.isEmpty()) {
      return;
    }
    Charts.bars(
        h,
        "chart-decay",
        "Decay curve: mean strength if unused",
        rows,
        1,
        v -> String.format(Locale.ROOT, "%.2f", v));
    h.raw("<p class=\"meta\">").text(demotedInAYear + " memories would move down a tier within a");
    h.text(" year without use (strength: ourmem's decay score, 0 to 1).").raw("</p>");
  }

  private void injections(Html h, UiRequest r) {
    List<HookInjection> recent = service.recentInjections(r.caller(), INJECTIONS);
    h.raw(
        "<section aria-labelledby=\"inj-h\"><h2 id=\"inj-h\">What the hooks injected lately</h2>");
    if (recent.isEmpty()) {
      h.raw("<p>Nothing yet: the hooks have shown no memory to an agent session.</p></section>");
      return;
    }
    h.raw("<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Session</th>");
    h.raw("<th scope=\"col\">Memory</th></tr></thead><tbody>");
    for (HookInjection i : recent) {
      h.raw("<tr><td>").text(Views.time(i.at())).raw("</td><td>").text(i.sessionId());
      h.raw("</td><td>").link("/ui/memory/" + i.memoryId(), label(r, i.memoryId()));
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table></section>");
  }

  /** The memory's text, short; its id when it is out of the caller's sight now. */
  private String label(UiRequest r, String id) {
    try {
      Memory m = service.peek(r.caller(), id);
      return Views.shorten(m.content(), 100);
    } catch (OmemException gone) {
      return id;
    }
  }
}
