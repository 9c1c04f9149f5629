package dev.omem.ui;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Review: the captured facts waiting for confirmation (candidates, issue 14), newest first, with
 * confirm, edit and forget, one at a time or for every ticked one. The list cannot filter on
 * confirmation, so the page reads the newest {@link #SCANNED} active memories a page at a time and
 * keeps the candidates: captures are recent by nature.
 */
final class ReviewPage {
  /** How far back it looks: five of the list's largest pages. */
  static final int SCANNED = 1_000;

  private static final int BATCH = 200;

  /** Bulk actions at most this many at once (one form). */
  static final int MAX_BULK = 200;

  private final MemoryService service;

  ReviewPage(MemoryService service) {
    this.service = service;
  }

  void show(UiRequest r) throws IOException {
    List<Memory> candidates = new ArrayList<>();
    for (int offset = 0; offset < SCANNED; offset += BATCH) {
      MemoryPage p =
          service.list(
              r.caller(),
              new ListRequest(BATCH, offset, null, null, "all", "active", null, null, null));
      for (Memory m : p.memories()) {
        if (!m.trust().confirmed()) {
          candidates.add(m);
        }
      }
      if (offset + p.memories().size() >= p.totalCount() || p.memories().isEmpty()) {
        break;
      }
    }
    Html h = new Html();
    h.raw("<p>Facts your agents picked up from conversations. Agents see them marked");
    h.raw(" [unconfirmed] until you confirm them.</p>");
    if (candidates.isEmpty()) {
      h.raw("<p role=\"status\">Nothing waiting for review.</p>");
    } else {
      h.raw("<form method=\"post\" action=\"/ui/review\" class=\"review\">");
      h.hidden("csrf", r.csrf());
      h.raw("<p><label><input type=\"checkbox\" id=\"select-all\"> Select all</label> ");
      h.raw("<button type=\"submit\" name=\"action\" value=\"confirm\">Confirm selected</button> ");
      h.raw("<button type=\"submit\" name=\"action\" value=\"forget\">Forget selected</button>");
      h.raw("</p><ul class=\"candidates\">");
      int i = 0;
      for (Memory m : candidates) {
        String box = "c" + i++;
        h.raw("<li><input type=\"checkbox\" name=\"ids\" id=\"").text(box).raw("\" value=\"");
        h.text(m.id()).raw("\"> <label for=\"").text(box).raw("\" class=\"content\">");
        h.text(m.content()).raw("</label><span class=\"meta\"> ");
        h.text(m.category().wire() + " · " + Views.time(m.createdAt())).raw("</span> ");
        h.raw("<button type=\"submit\" name=\"confirm-one\" value=\"").text(m.id());
        h.raw("\" aria-label=\"Confirm: ")
            .text(Views.shorten(m.content(), 60))
            .raw("\">Confirm</button> ");
        h.link("/ui/memory/" + m.id(), "Edit").raw(" ");
        h.raw("<button type=\"submit\" name=\"forget-one\" value=\"").text(m.id());
        h.raw("\" aria-label=\"Forget: ")
            .text(Views.shorten(m.content(), 60))
            .raw("\">Forget</button>");
        h.raw("</li>");
      }
      h.raw("</ul></form>");
    }
    r.html(200, Layout.page(r, "Review", "/ui/review", Views.notice(r), h.toString()));
  }

  void act(UiRequest r) {
    List<String> confirm = new ArrayList<>();
    List<String> forget = new ArrayList<>();
    if (r.param("confirm-one") != null) {
      confirm.add(r.param("confirm-one"));
    } else if (r.param("forget-one") != null) {
      forget.add(r.param("forget-one"));
    } else {
      String[] ids = r.req().getParameterValues("ids");
      List<String> chosen = ids == null ? List.of() : List.of(ids);
      if (chosen.size() > MAX_BULK) {
        throw dev.omem.domain.OmemException.invalid(
            "at most " + MAX_BULK + " memories at once; select fewer");
      }
      ("forget".equals(r.param("action")) ? forget : confirm).addAll(chosen);
    }
    for (String id : confirm) {
      service.update(r.caller(), new UpdateRequest(id, null, null, null, null, null, true));
    }
    for (String id : forget) {
      service.forget(r.caller(), id);
    }
    r.seeOther("/ui/review?done=reviewed");
  }
}
