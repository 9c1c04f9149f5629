package dev.omem.ui;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import dev.omem.service.VersionConflict;
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
              ListRequest.builder()
                  .limit(BATCH)
                  .offset(offset)
                  .scope("all")
                  .state("active")
                  .build());
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
        h.text(ref(m)).raw("\"> <label for=\"").text(box).raw("\" class=\"content\">");
        h.text(m.content()).raw("</label><span class=\"meta\"> ");
        h.text(m.category().wire() + " · " + Views.time(m.createdAt())).raw("</span> ");
        h.raw("<button type=\"submit\" name=\"confirm-one\" value=\"").text(ref(m));
        h.raw("\" aria-label=\"Confirm: ")
            .text(Views.shorten(m.content(), 60))
            .raw("\">Confirm</button> ");
        h.link("/ui/memory/" + m.id(), "Edit").raw(" ");
        h.raw("<button type=\"submit\" name=\"forget-one\" value=\"").text(ref(m));
        h.raw("\" aria-label=\"Forget: ")
            .text(Views.shorten(m.content(), 60))
            .raw("\">Forget</button>");
        h.raw("</li>");
      }
      h.raw("</ul></form>");
    }
    r.html(200, Layout.page(r, "Review", "/ui/review", Views.notice(r), h.toString()));
  }

  /** A candidate as the forms send it: its id and the version the page showed. */
  private static String ref(Memory m) {
    return m.id() + "@" + m.version();
  }

  /**
   * Confirms or forgets one candidate at the version the page showed (checked by the service under
   * its write lock); 1 when it had changed since and was left alone, else 0.
   */
  private int apply(UiRequest r, String ref, String state, Boolean confirm) {
    int at = ref.lastIndexOf('@');
    long version;
    try {
      version = Long.parseLong(ref.substring(at + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw OmemException.invalid("the form has no memory version; reload the page");
    }
    try {
      service.update(
          r.caller(),
          new UpdateRequest(ref.substring(0, at), null, null, null, null, state, confirm, version));
      return 0;
    } catch (VersionConflict e) {
      return 1;
    }
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
        throw OmemException.invalid("at most " + MAX_BULK + " memories at once; select fewer");
      }
      ("forget".equals(r.param("action")) ? forget : confirm).addAll(chosen);
    }
    int stale = 0;
    for (String ref : confirm) {
      stale += apply(r, ref, null, true);
    }
    for (String ref : forget) {
      stale += apply(r, ref, "deleted", null);
    }
    if (stale > 0) {
      throw new OmemException(
          dev.omem.domain.ErrorCode.CONFLICT,
          stale
              + (stale == 1 ? " memory was" : " memories were")
              + " left as they are: changed since this page was loaded. Reload it and review"
              + " them again.");
    }
    r.seeOther("/ui/review?done=reviewed");
  }
}
