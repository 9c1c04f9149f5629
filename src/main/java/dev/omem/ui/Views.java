package dev.omem.ui;

import dev.omem.domain.Memory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Pieces several pages render: a memory's summary, times, notices, errors. */
final class Views {
  private Views() {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** What a redirect's {@code done} parameter announces: fixed words, never text from the URL. */
  private static final Map<String, String> NOTICES =
      Map.ofEntries(
          Map.entry("saved", "Saved."),
          Map.entry("forgotten", "Forgotten. You can restore it below."),
          Map.entry("restored", "Restored."),
          Map.entry("confirmed", "Confirmed."),
          Map.entry("pinned", "Pinned: moved to the core tier, which fades slowest."),
          Map.entry("unpinned", "Unpinned: moved to the working tier."),
          Map.entry("role-changed", "Role changed."),
          Map.entry("member-removed", "Member removed."),
          Map.entry("left", "You left the space."),
          Map.entry("rule-added", "Auto-share rule added."),
          Map.entry("rule-deleted", "Auto-share rule deleted."),
          Map.entry("reviewed", "Done."),
          Map.entry("space-created", "Space created."),
          Map.entry("invited", "Invitation sent."),
          Map.entry("accepted", "Invitation accepted."),
          Map.entry("declined", "Invitation declined."),
          Map.entry("rolled-back", "Import rolled back."));

  static String notice(UiRequest r) {
    String done = r.param("done");
    return done == null ? null : NOTICES.get(done);
  }

  static String time(Instant t) {
    return t == null ? "—" : TIME.format(t);
  }

  static String error(String message) {
    return new Html()
        .raw("<p class=\"error\" role=\"alert\">")
        .text(message)
        .raw("</p>")
        .toString();
  }

  /** A memory as one list entry: its content as text, linked to its page, and its marks. */
  static void summary(Html h, Memory m, String score) {
    h.raw("<li class=\"memory\"><p class=\"content\">");
    h.link("/ui/memory/" + m.id(), shorten(m.content(), 300));
    h.raw("</p><p class=\"meta\">");
    if (score != null) {
      h.raw("<span class=\"score\">score ").text(score).raw("</span> · ");
    }
    h.text(m.category().wire()).raw(" · ").text(m.memoryType().wire()).raw(" · ");
    h.text(m.tier().wire()).raw(" · ").text(m.state().wire()).raw(" · ");
    h.text(m.scope()).raw(" · ").text(time(m.createdAt()));
    if (!m.trust().confirmed()) {
      h.raw(" · <span class=\"badge\">unconfirmed</span>");
    }
    if (m.trust().flagged()) {
      h.raw(" · <span class=\"badge warn\">flagged</span>");
    }
    for (String t : m.tags()) {
      h.raw(" <span class=\"tag\">#").text(t).raw("</span>");
    }
    h.raw("</p></li>");
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** A select box with a label; {@code options} pairs value and label, "" for any. */
  static void select(Html h, String name, String label, String current, String... options) {
    h.raw("<label>").text(label).raw(" <select name=\"").text(name).raw("\">");
    for (int i = 0; i < options.length; i += 2) {
      h.raw("<option value=\"").text(options[i]).raw("\"");
      if (options[i].equals(current == null ? "" : current)) {
        h.raw(" selected");
      }
      h.raw(">").text(options[i + 1]).raw("</option>");
    }
    h.raw("</select></label> ");
  }
}
