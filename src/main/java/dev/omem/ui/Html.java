package dev.omem.ui;

/**
 * Builds a page's HTML. Every piece of text goes through {@link #text} (escaped): memory content is
 * written by agents and transcripts and must never become markup. Only the page code's own literal
 * tags go through {@link #raw}.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(8_192);

  /** Escapes text for an element's body or a quoted attribute value. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The page's own markup, never data. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Data, escaped. */
  Html text(Object value) {
    out.append(escape(value == null ? "" : String.valueOf(value)));
    return this;
  }

  /** {@code <tag>text</tag>} with the text escaped. */
  Html el(String tag, Object value) {
    return raw("<" + tag + ">").text(value).raw("</" + tag.split(" ", 2)[0] + ">");
  }

  /** A link whose href and text are both escaped. */
  Html link(String href, Object label) {
    return raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
  }

  /** A hidden form field. */
  Html hidden(String name, Object value) {
    return raw("<input type=\"hidden\" name=\"")
        .text(name)
        .raw("\" value=\"")
        .text(value)
        .raw("\">");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
