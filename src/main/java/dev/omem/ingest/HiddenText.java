package dev.omem.ingest;

/**
 * The hidden-Unicode rule of the injection screen: characters that render as nothing or reorder
 * what is shown, so that a model reads something a person reviewing the memory does not see.
 *
 * <ul>
 *   <li>tag characters U+E0000–E007F (invisible ASCII, the "ASCII smuggling" of prompts);
 *   <li>bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): the text shown
 *       is not the order the model reads;
 *   <li>zero-width runs: two or more zero-width characters in a row, or three or more in a text.
 *       One ZWJ inside an emoji sequence or one ZWNJ in Persian script are ordinary writing; a run
 *       carries hidden data.
 * </ul>
 */
public final class HiddenText {
  private HiddenText() {}

  /** Why {@code text} hides something, or null when it does not. */
  public static String reason(String text) {
    int zeroWidth = 0;
    int run = 0;
    int longestRun = 0;
    int previous = 0;
    for (int i = 0; i < text.length(); previous = text.codePointBefore(i)) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0xE0000 && cp <= 0xE007F) {
        return "hidden Unicode: tag characters";
      }
      if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
        return "hidden Unicode: bidirectional override";
      }
      if (cp == 0x200D && emoji(previous)) {
        run = 0; // the joiner of an emoji sequence (a family, a profession)
      } else if (zeroWidth(cp)) {
        zeroWidth++;
        run++;
        longestRun = Math.max(longestRun, run);
      } else {
        run = 0;
      }
    }
    return longestRun >= 2 || zeroWidth >= 3 ? "hidden Unicode: zero-width characters" : null;
  }

  private static boolean emoji(int cp) {
    return cp >= 0x1F000
        || cp == 0xFE0F
        || Character.getType(cp) == Character.OTHER_SYMBOL
        || (cp >= 0x1F3FB && cp <= 0x1F3FF);
  }

  private static boolean zeroWidth(int cp) {
    return cp == 0x200B
        || cp == 0x200C
        || cp == 0x200D
        || cp == 0x2060
        || cp == 0x2061
        || cp == 0x2062
        || cp == 0x2063
        || cp == 0x2064
        || cp == 0xFEFF
        || cp == 0x180E;
  }
}
