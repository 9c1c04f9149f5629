package dev.omem.mcp;

import dev.omem.domain.Memory;
import dev.omem.domain.Trust;

/**
 * A memory's content as tool text shows it to the agent (issue 14): a candidate carries {@value
 * Trust#UNCONFIRMED_MARK}; a flagged memory is shown quoted, its hidden characters written out as
 * {@code \\u{…}}, after {@value Trust#FLAGGED_MARK} and followed by the screen's reason, so that
 * what it says reads as data and what it hides is visible.
 */
final class TrustText {
  private TrustText() {}

  /** The content on one line, cut to {@code max} characters, with its marks. */
  static String shown(Memory m, int max) {
    String oneLine = m.content().replaceAll("\\s+", " ").strip();
    String cut = oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    String marks = m.trust().marks();
    if (!m.flagged()) {
      return marks.isEmpty() ? cut : marks + " " + cut;
    }
    return marks + " \"" + escaped(cut) + "\" (flag: " + m.trust().flag() + ")";
  }

  /** Quotes, backslashes and invisible or reordering characters written out. */
  static String escaped(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    s.codePoints()
        .forEach(
            cp -> {
              if (cp == '"' || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
              } else if (Character.getType(cp) == Character.FORMAT
                  || Character.isISOControl(cp)
                  || (cp >= 0xE0000 && cp <= 0xE007F)) {
                sb.append("\\u{").append(Integer.toHexString(cp)).append('}');
              } else {
                sb.appendCodePoint(cp);
              }
            });
    return sb.toString();
  }
}
