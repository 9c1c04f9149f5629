package dev.omem.ui;

import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Tier;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import dev.omem.service.VersionConflict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A memory's page: content, fields, trust, provenance, shared copies, relations, staleness, history
 * as a timeline; edit, forget, restore, confirm, pin. Every form sends the version it was rendered
 * from as the update's expected version, checked by the service under its write lock: one that no
 * longer matches is refused ({@link VersionConflict}) with the current text beside the user's, so
 * two editors never silently overwrite each other.
 */
final class MemoryView {
  private final MemoryService service;

  MemoryView(MemoryService service) {
    this.service = service;
  }

  void handle(UiRequest r, String rest, boolean post) throws IOException {
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    String action = slash < 0 ? null : rest.substring(slash + 1);
    if (!post) {
      show(r, service.peek(r.caller(), id), 200, Views.notice(r), null);
      return;
    }
    long sent = version(r);
    String done;
    try {
      done = act(r, id, action, sent);
    } catch (VersionConflict e) {
      String msg =
          "Not saved: this memory changed since you opened it (you had version "
              + e.expected()
              + ", it is now version "
              + e.current()
              + "). Review the current text below and try again.";
      show(r, service.peek(r.caller(), id), 409, null, new Stale(msg, r.rawParam("content")));
      return;
    }
    r.seeOther("/ui/memory/" + id + "?done=" + done);
  }

  /**
   * Does one action with the version the form was rendered from: the service checks it under its
   * write lock ({@link VersionConflict}), so of two editors of one version the second is refused.
   */
  private String act(UiRequest r, String id, String action, long sent) {
    switch (action == null ? "" : action) {
      case "edit" -> {
        edit(r, service.peek(r.caller(), id), sent);
        return "saved";
      }
      case "forget" -> {
        update(r, id, null, "deleted", null, null, sent);
        return "forgotten";
      }
      case "restore" -> {
        update(r, id, null, "active", null, null, sent);
        return "restored";
      }
      case "confirm" -> {
        update(r, id, null, null, true, null, sent);
        return "confirmed";
      }
      case "pin" -> {
        update(r, id, null, null, null, PINNED.wire(), sent);
        return "pinned";
      }
      case "unpin" -> {
        update(r, id, null, null, null, UNPINNED.wire(), sent);
        return "unpinned";
      }
      default -> throw OmemException.notFound("no such action");
    }
  }

  /**
   * The pin: tier {@code core}, ourmem's slowest-fading tier (ranked with the highest floor).
   * omem's memory_type {@code pinned} already marks every memory stored on purpose, so it cannot
   * also mean "a person pinned this"; the lifecycle's rules still apply to a pinned memory left
   * unused for long. Unpinning puts it in {@code working}, the tier below.
   */
  static final Tier PINNED = Tier.CORE;

  static final Tier UNPINNED = Tier.WORKING;

  private void update(
      UiRequest r, String id, String content, String state, Boolean confirm, String tier, long v) {
    service.update(
        r.caller(), new UpdateRequest(id, content, null, null, null, state, confirm, v, tier));
  }

  /** Sends only what the form changed, with the version it was rendered from. */
  private void edit(UiRequest r, Memory now, long sent) {
    String content = r.rawParam("content");
    if (content != null && content.strip().equals(now.content().strip())) {
      content = null;
    }
    List<String> tags = tags(r.rawParam("tags"));
    if (tags != null && tags.equals(now.tags())) {
      tags = null;
    }
    String category = r.param("category");
    if (category != null && category.equals(now.category().wire())) {
      category = null;
    }
    Double importance = null;
    String imp = r.param("importance");
    if (imp != null) {
      try {
        importance = Double.valueOf(imp);
      } catch (NumberFormatException e) {
        throw OmemException.invalid("importance must be a number from 0 to 1, got '" + imp + "'");
      }
      if (Math.abs(importance - now.importance()) < 0.005) { // the form shows two decimals
        importance = null;
      }
    }
    if (content == null && tags == null && category == null && importance == null) {
      return;
    }
    service.update(
        r.caller(),
        new UpdateRequest(now.id(), content, tags, category, importance, null, null, sent));
  }

  static List<String> tags(String raw) {
    if (raw == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String t : raw.split(",")) {
      if (!t.isBlank()) {
        out.add(t.trim());
      }
    }
    return out;
  }

  /** The version the form was rendered from: every form sends one; none is refused. */
  private static long version(UiRequest r) {
    try {
      return Long.parseLong(Objects.requireNonNull(r.param("version")));
    } catch (NumberFormatException | NullPointerException e) {
      throw OmemException.invalid("the form has no memory version; reload the page and try again");
    }
  }

  /** A refused edit: why, and the text the user had typed (kept in the form). */
  private record Stale(String message, String typed) {}

  private void show(UiRequest r, Memory m, int status, String notice, Stale stale)
      throws IOException {
    Html h = new Html();
    if (stale != null) {
      h.raw(Views.error(stale.message()));
    }
    h.raw("<section aria-labelledby=\"content-h\"><h2 id=\"content-h\">Content</h2>");
    if (!m.trust().confirmed()) {
      h.raw("<p><span class=\"badge\">unconfirmed</span> A fact picked up from a conversation;");
      h.raw(" agents see it marked until someone confirms it.</p>");
    }
    if (m.trust().flagged()) {
      h.raw("<p><span class=\"badge warn\">flagged</span> ").text(m.trust().flag()).raw("</p>");
    }
    h.raw("<div class=\"content-full\">").text(m.content()).raw("</div></section>");
    actions(h, r, m);
    fields(h, m);
    other(h, r, m);
    history(h, r, m);
    editForm(h, r, m, stale == null ? m.content() : stale.typed());
    r.html(status, Layout.page(r, "Memory", null, notice, h.toString()));
  }

  private static void actions(Html h, UiRequest r, Memory m) {
    h.raw("<div class=\"actions\">");
    if (m.state() == MemoryState.ACTIVE && !m.trust().confirmed()) {
      button(h, r, m, "confirm", "Confirm");
    }
    if (m.state() == MemoryState.ACTIVE) {
      if (m.tier() == PINNED) {
        button(h, r, m, "unpin", "Unpin");
      } else {
        button(h, r, m, "pin", "Pin");
      }
      button(h, r, m, "forget", "Forget");
    } else {
      button(h, r, m, "restore", "Restore");
    }
    h.raw("</div>");
  }

  private static void button(Html h, UiRequest r, Memory m, String action, String label) {
    h.raw("<form method=\"post\" action=\"/ui/memory/").text(m.id() + "/" + action).raw("\">");
    h.hidden("csrf", r.csrf()).hidden("version", m.version());
    h.raw("<button type=\"submit\">").text(label).raw("</button></form>");
  }

  private static void fields(Html h, Memory m) {
    h.raw(
        "<section aria-labelledby=\"fields-h\"><h2 id=\"fields-h\">Fields</h2><dl class=\"fields\">");
    field(h, "Id", m.id());
    field(h, "Category", m.category().wire());
    field(h, "Type", m.memoryType().wire());
    field(h, "Tier", m.tier().wire() + (m.tier() == PINNED ? " (pinned)" : ""));
    field(h, "State", m.state().wire());
    field(h, "Scope", m.scope());
    field(h, "Space", m.spaceId());
    field(h, "Tags", String.join(", ", m.tags()));
    field(h, "Importance", String.format(Locale.ROOT, "%.2f", m.importance()));
    field(h, "Confidence", String.format(Locale.ROOT, "%.2f", m.confidence()));
    field(
        h,
        "Accessed",
        m.accessCount()
            + (m.accessCount() == 1 ? " time" : " times")
            + ", last "
            + Views.time(m.lastAccessedAt()));
    field(h, "Agent", m.agentId());
    field(h, "Session", m.sessionId());
    field(h, "Source", m.source());
    field(h, "Version", m.version());
    field(h, "Created", Views.time(m.createdAt()));
    field(h, "Updated", Views.time(m.updatedAt()));
    field(h, "Expires", Views.time(m.expiresAt()));
    if (m.supersededBy() != null) {
      h.raw("<dt>Superseded by</dt><dd>");
      h.link("/ui/memory/" + m.supersededBy(), m.supersededBy()).raw("</dd>");
    }
    h.raw("</dl></section>");
  }

  private static void field(Html h, String name, Object value) {
    h.raw("<dt>").text(name).raw("</dt><dd>").text(value == null ? "—" : value).raw("</dd>");
  }

  /** Provenance (and a copy's staleness), the copies shared from it, and relations. */
  private void other(Html h, UiRequest r, Memory m) {
    h.raw("<section aria-labelledby=\"prov-h\"><h2 id=\"prov-h\">Provenance and relations</h2>");
    List<Memory> copies = service.sharedCopies(r.caller(), m.id());
    if (m.provenance().isEmpty() && m.relations().isEmpty() && copies.isEmpty()) {
      h.raw("<p>Stored here first; not shared; no relations.</p>");
    }
    if (!m.provenance().isEmpty()) {
      h.raw("<dl class=\"fields\">");
      for (Map.Entry<String, Object> e : m.provenance().entrySet()) {
        field(h, e.getKey(), e.getValue());
      }
      h.raw("</dl>");
      ShareResults.StaleInfo stale = staleInfo(r, m);
      if (stale != null) {
        h.raw("<p>").text(staleWords(stale)).raw("</p>");
      }
    }
    if (!copies.isEmpty()) {
      h.raw("<h3>Shared copies</h3><ul class=\"copies\">");
      for (Memory c : copies) {
        h.raw("<li>").link("/ui/memory/" + c.id(), "Copy in " + c.spaceId());
        h.raw(" ").text("(version " + c.provenance().getOrDefault("source_version", 1));
        h.text(" of this memory, which is at version " + m.version() + ")").raw("</li>");
      }
      h.raw("</ul>");
    }
    if (!m.relations().isEmpty()) {
      h.raw("<h3>Relations</h3><ul class=\"relations\">");
      for (Map.Entry<String, List<String>> e : m.relations().entrySet()) {
        for (String id : e.getValue()) {
          h.raw("<li>").text(e.getKey().replace('_', ' ')).raw(": ");
          h.link("/ui/memory/" + id, id).raw("</li>");
        }
      }
      h.raw("</ul>");
    }
    h.raw("</section>");
  }

  private ShareResults.StaleInfo staleInfo(UiRequest r, Memory m) {
    try {
      return service.staleInfo(r.caller(), m.id());
    } catch (OmemException e) {
      return null; // the source is out of the caller's sight
    }
  }

  static String staleWords(ShareResults.StaleInfo s) {
    if (s.sourceDeleted()) {
      return "A shared copy whose source was deleted.";
    }
    if (s.isStale()) {
      return "A shared copy of version "
          + s.sourceVersion()
          + "; the source is at version "
          + s.currentSourceVersion()
          + " now.";
    }
    return "A shared copy, up to date with its source.";
  }

  private void history(Html h, UiRequest r, Memory m) {
    List<HistoryEntry> steps = service.history(r.caller(), m.id());
    h.raw("<section aria-labelledby=\"hist-h\"><h2 id=\"hist-h\">History</h2>");
    h.raw("<ol class=\"timeline\">");
    for (HistoryEntry e : steps) {
      h.raw("<li><time>").text(Views.time(e.at())).raw("</time> <strong>");
      h.text(e.action().wire().replace('_', ' ')).raw("</strong>");
      if (e.agentId() != null) {
        h.raw(" by ").text(e.agentId());
      }
      if (e.source() != null) {
        h.raw(" via ").text(e.source());
      }
      if (e.note() != null) {
        h.raw(": ").text(e.note());
      }
      if (e.relatedId() != null) {
        h.raw(" (").link("/ui/memory/" + e.relatedId(), "related").raw(")");
      }
      h.raw("</li>");
    }
    h.raw("</ol></section>");
  }

  private static void editForm(Html h, UiRequest r, Memory m, String content) {
    if (m.state() == MemoryState.DELETED) {
      return;
    }
    h.raw("<section aria-labelledby=\"edit-h\"><h2 id=\"edit-h\">Edit</h2>");
    h.raw("<form method=\"post\" class=\"edit\" action=\"/ui/memory/").text(m.id()).raw("/edit\">");
    h.hidden("csrf", r.csrf()).hidden("version", m.version());
    h.raw("<label for=\"content\">Content</label>");
    h.raw("<textarea id=\"content\" name=\"content\" rows=\"6\" required>").text(content);
    h.raw("</textarea><label for=\"tags\">Tags (comma-separated)</label>");
    h.raw("<input id=\"tags\" name=\"tags\" value=\"").text(String.join(", ", m.tags())).raw("\">");
    String[] cats =
        Arrays.stream(Category.values())
            .flatMap(c -> java.util.stream.Stream.of(c.wire(), c.wire()))
            .toArray(String[]::new);
    Views.select(h, "category", "Category", m.category().wire(), cats);
    h.raw("<label for=\"importance\">Importance (0 to 1)</label>");
    h.raw("<input id=\"importance\" name=\"importance\" type=\"number\" min=\"0\" max=\"1\"");
    h.raw(" step=\"0.01\" value=\"").text(String.format(Locale.ROOT, "%.2f", m.importance()));
    h.raw("\"><button type=\"submit\">Save</button></form></section>");
  }
}
