package dev.omem.service;

import dev.omem.domain.OmemException;

/**
 * Text every face sends is checked the same way before it is stored: it must be valid UTF-16 (a
 * lone surrogate is what a broken client or a hostile one sends; SQLite would store it as '?' while
 * the answer echoed it raw), it must show something once control and zero-width characters are
 * removed (three NULs or three zero-width spaces are not memories, and they would otherwise be each
 * other's duplicates), and the control characters of C0, C1 and DEL other than tab and line breaks
 * are dropped (they corrupt terminals and logs and mean nothing in a memory).
 */
final class TextChecks {
  private TextChecks() {}

  /** {@code text} itself, or a validation error naming {@code field} and where it breaks. */
  static String wellFormed(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw OmemException.invalid(
            field
                + " is not valid Unicode: a lone surrogate (\\u"
                + Integer.toHexString(c)
                + ") at character "
                + i
                + "; send UTF-8 text, or escape astral characters as surrogate pairs");
      }
    }
    return text;
  }

  /** True when nothing is left once white space, control and format (zero-width) characters go. */
  static boolean invisibleOnly(String text) {
    return text.codePoints().allMatch(TextChecks::invisible);
  }

  /** Valid, visible text with its control characters dropped; a validation error otherwise. */
  static String visible(String field, String text) {
    wellFormed(field, text);
    if (invisibleOnly(text)) {
      throw OmemException.invalid(
          field
              + " is empty once control and zero-width characters are removed; nothing was"
              + " stored");
    }
    return withoutControls(text);
  }

  /** {@code text} without control characters other than tab, line feed and carriage return. */
  static String withoutControls(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean drop = Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
      if (drop && sb == null) {
        sb = new StringBuilder(text.length()).append(text, 0, i);
      } else if (!drop && sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }

  private static boolean invisible(int cp) {
    return Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || Character.isISOControl(cp)
        || Character.getType(cp) == Character.FORMAT
        || cp == 0x115F // Hangul fillers render as nothing and are used to fake blank names
        || cp == 0x1160
        || cp == 0x3164
        || cp == 0xFFA0;
  }
}
