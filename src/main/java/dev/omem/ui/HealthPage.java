package dev.omem.ui;

import dev.omem.service.MemoryService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** Health: the service's health facts (store, schema, index, model, backups) and the uptime. */
final class HealthPage {
  private final MemoryService service;

  HealthPage(MemoryService service) {
    this.service = service;
  }

  void show(UiRequest r) throws IOException {
    Html h = new Html();
    Duration up = Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());
    h.raw("<dl class=\"fields\"><dt>Server uptime</dt><dd>");
    h.text(up.toHours() + " h " + up.toMinutesPart() + " min").raw("</dd></dl>");
    values(h, service.health());
    r.html(200, Layout.page(r, "Health", "/ui/health", null, h.toString()));
  }

  /** A map as nested definition lists, every key and value as text. */
  private static void values(Html h, Map<?, ?> map) {
    h.raw("<dl class=\"fields\">");
    for (Map.Entry<?, ?> e : map.entrySet()) {
      h.raw("<dt>").text(String.valueOf(e.getKey()).replace('_', ' ')).raw("</dt><dd>");
      if (e.getValue() instanceof Map<?, ?> inner) {
        values(h, inner);
      } else if (e.getValue() instanceof Collection<?> c) {
        h.text(c.isEmpty() ? "none" : c.toString());
      } else {
        h.text(e.getValue() == null ? "—" : e.getValue());
      }
      h.raw("</dd>");
    }
    h.raw("</dl>");
  }
}
