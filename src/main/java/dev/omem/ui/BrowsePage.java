package dev.omem.ui;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Browse: one page of memories at a time ({@link #PAGE} of them, through the service's own paging),
 * filtered by scope, category, type, tier, state, space, tag, agent, source and creation date,
 * sorted by any of the list's sorts. The store filters, counts and pages: nothing beyond the page
 * is loaded.
 */
final class BrowsePage {
  /** A screenful: enough to scan, small enough to render in a few milliseconds. */
  static final int PAGE = 50;

  private final MemoryService service;

  BrowsePage(MemoryService service) {
    this.service = service;
  }

  void show(UiRequest r) throws IOException {
    int offset = Math.max(0, number(r.param("offset")));
    String scope = r.param("scope") == null ? "all" : r.param("scope");
    String tag = r.param("tag");
    ListRequest.Narrowing narrowing =
        new ListRequest.Narrowing(
            r.param("tier"),
            r.param("agent"),
            r.param("source"),
            day(r, "from", 0),
            day(r, "to", 1)); // "to" names the last day shown: before the day after it
    ListRequest req =
        ListRequest.builder()
            .limit(PAGE)
            .offset(offset)
            .category(r.param("category"))
            .tags(tag == null ? null : List.of(tag))
            .scope(scope)
            .state(r.param("state"))
            .memoryType(r.param("type"))
            .sort(r.param("sort"))
            .order(r.param("order"))
            .space(r.param("space"))
            .narrowing(narrowing)
            .build();
    MemoryPage page = service.list(r.caller(), req);
    Html h = new Html();
    filters(h, r, scope, tag);
    long total = page.totalCount();
    h.raw("<p role=\"status\">");
    if (total == 0) {
      h.text("No memories match.");
    } else {
      h.text(
          "Showing "
              + (offset + 1)
              + "–"
              + (offset + page.memories().size())
              + " of "
              + total
              + ".");
    }
    h.raw("</p><ol class=\"results\">");
    for (Memory m : page.memories()) {
      Views.summary(h, m, null);
    }
    h.raw("</ol><nav aria-label=\"Pages\" class=\"pager\">");
    if (offset > 0) {
      h.link(pageLink(r, Math.max(0, offset - PAGE)), "Previous page").raw(" ");
    }
    if (offset + page.memories().size() < total) {
      h.link(pageLink(r, offset + PAGE), "Next page");
    }
    h.raw("</nav>");
    r.html(200, Layout.page(r, "Browse", "/ui/browse", Views.notice(r), h.toString()));
  }

  private void filters(Html h, UiRequest r, String scope, String tag) {
    h.raw("<form method=\"get\" action=\"/ui/browse\" class=\"filters\">");
    h.raw("<fieldset><legend>Filter and sort</legend>");
    Views.select(h, "scope", "Scope", scope, "all", "All", "global", "Global");
    List<String> cats = new ArrayList<>(List.of("", "Any"));
    for (Category c : Category.values()) {
      cats.add(c.wire());
      cats.add(c.wire());
    }
    Views.select(h, "category", "Category", r.param("category"), cats.toArray(String[]::new));
    Views.select(
        h,
        "type",
        "Type",
        r.param("type"),
        "",
        "Any",
        "pinned",
        "pinned",
        "insight",
        "insight",
        "session",
        "session");
    Views.select(
        h,
        "tier",
        "Tier",
        r.param("tier"),
        "",
        "Any",
        "core",
        "core (pinned)",
        "working",
        "working",
        "peripheral",
        "peripheral");
    Views.select(
        h,
        "state",
        "State",
        r.param("state"),
        "",
        "Active and archived",
        "active",
        "active",
        "archived",
        "archived",
        "deleted",
        "deleted");
    List<String> spaces = new ArrayList<>(List.of("", "Personal"));
    for (Space s : service.spaces(r.caller())) {
      if (s.type() != dev.omem.domain.SpaceType.PERSONAL) {
        spaces.add(s.id());
        spaces.add(s.name());
      }
    }
    Views.select(h, "space", "Space", r.param("space"), spaces.toArray(String[]::new));
    input(h, "tag", "Tag", "text", tag);
    input(h, "agent", "Agent", "text", r.param("agent"));
    input(h, "source", "Source", "text", r.param("source"));
    input(h, "from", "Created from", "date", r.param("from"));
    input(h, "to", "Created to", "date", r.param("to"));
    Views.select(
        h,
        "sort",
        "Sort by",
        r.param("sort"),
        "created_at",
        "created",
        "updated_at",
        "updated",
        "importance",
        "importance",
        "access_count",
        "accesses");
    Views.select(
        h,
        "order",
        "Order",
        r.param("order"),
        "desc",
        "newest/highest first",
        "asc",
        "oldest/lowest first");
    h.raw("<button type=\"submit\">Apply</button></fieldset></form>");
  }

  /** The same filters at another offset. */
  private static String pageLink(UiRequest r, int offset) {
    Map<String, String> q = new TreeMap<>();
    for (String k :
        List.of(
            "scope",
            "category",
            "type",
            "tier",
            "state",
            "space",
            "tag",
            "agent",
            "source",
            "from",
            "to",
            "sort",
            "order")) {
      if (r.param(k) != null) {
        q.put(k, r.param(k));
      }
    }
    q.put("offset", Integer.toString(offset));
    StringBuilder b = new StringBuilder("/ui/browse?");
    q.forEach(
        (k, v) ->
            b.append(k)
                .append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8))
                .append('&'));
    return b.substring(0, b.length() - 1);
  }

  private static void input(Html h, String name, String label, String type, String value) {
    h.raw("<label>").text(label).raw(" <input name=\"").text(name).raw("\" type=\"").text(type);
    h.raw("\" size=\"12\" value=\"").text(value).raw("\"></label> ");
  }

  /** The start of the UTC day a date field names, {@code plusDays} later; null when empty. */
  private static Instant day(UiRequest r, String name, int plusDays) {
    String v = r.param(name);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw OmemException.invalid("a date is written as 2026-12-31, not '" + v + "'");
    }
  }

  static int number(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
