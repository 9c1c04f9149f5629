package dev.omem.ui;

import java.util.List;

/** The frame of every page: head, skip link, navigation, sign-out, the page's heading. */
final class Layout {
  private Layout() {}

  /** A navigation entry. */
  private record Nav(String path, String label) {}

  private static final List<Nav> NAV =
      List.of(
          new Nav("/ui/search", "Search"),
          new Nav("/ui/browse", "Browse"),
          new Nav("/ui/review", "Review"),
          new Nav("/ui/spaces", "Spaces"),
          new Nav("/ui/imports", "Imports"),
          new Nav("/ui/stats", "Stats"),
          new Nav("/ui/health", "Health"));

  /** A page for a signed-in user; {@code body} is HTML built with {@link Html}. */
  static String page(UiRequest r, String title, String active, String notice, String body) {
    Html h = head(title);
    h.raw("<meta name=\"csrf-token\" content=\"").text(r.csrf()).raw("\">");
    h.raw("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a>");
    h.raw("<header class=\"top\"><span class=\"brand\">omem</span>");
    h.raw("<nav aria-label=\"Main\"><ul>");
    for (Nav n : NAV) {
      h.raw("<li><a href=\"").text(n.path()).raw("\"");
      if (n.path().equals(active)) {
        h.raw(" aria-current=\"page\"");
      }
      h.raw(">").text(n.label()).raw("</a></li>");
    }
    h.raw("</ul></nav>");
    h.raw("<form class=\"signout\" method=\"post\" action=\"/ui/logout\">");
    h.hidden("csrf", r.csrf());
    h.raw("<span class=\"who\">").text(r.session().user().label()).raw("</span> ");
    h.raw("<button type=\"submit\">Sign out</button></form></header>");
    h.raw("<main id=\"main\" tabindex=\"-1\"><h1>").text(title).raw("</h1>");
    if (notice != null) {
      h.raw("<p class=\"notice\" role=\"status\">").text(notice).raw("</p>");
    }
    h.raw(body).raw("</main></body></html>");
    return h.toString();
  }

  /** A page without a session: sign-in and its errors. */
  static String bare(String title, String body) {
    Html h = head(title);
    h.raw("</head><body><main id=\"main\"><h1>").text(title).raw("</h1>").raw(body);
    h.raw("</main></body></html>");
    return h.toString();
  }

  private static Html head(String title) {
    Html h = new Html();
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.raw("<title>").text(title).raw(" · omem</title>");
    h.raw("<link rel=\"stylesheet\" href=\"/ui/static/ui.css\">");
    h.raw("<script type=\"module\" src=\"/ui/static/ui.js\"></script>");
    return h;
  }
}
