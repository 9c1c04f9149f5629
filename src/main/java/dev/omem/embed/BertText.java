package dev.omem.embed;

import java.text.Normalizer;

/**
 * The character rules of HuggingFace's {@code BertNormalizer} and {@code BertPreTokenizer}: which
 * code points are whitespace, control characters, punctuation and CJK ideographs, and the
 * normalization they drive. Stateless.
 */
final class BertText {

  /**
   * Code point ranges (inclusive pairs, sorted) that Java 17 (Unicode 13) files as punctuation,
   * non-spacing marks or format characters but that the HuggingFace reference treats as ordinary
   * characters: its {@code unicode_categories} crate carries Unicode 8 data, where these were not
   * yet assigned. Derived by comparing every code point against the reference tokenizer (see {@code
   * ReferenceCharTableGenerator} in the tests); checked by {@code WordPieceTokenizerTest}.
   */
  private static final int[] REFERENCE_ORDINARY = {
    0x07FD, 0x07FD, 0x08D3, 0x08E2, 0x09FD, 0x09FE, 0x0A76, 0x0A76, 0x0AFA, 0x0AFF,
    0x0B55, 0x0B55, 0x0C04, 0x0C04, 0x0C77, 0x0C77, 0x0C84, 0x0C84, 0x0D00, 0x0D00,
    0x0D3B, 0x0D3C, 0x0D81, 0x0D81, 0x0EBA, 0x0EBA, 0x1885, 0x1886, 0x1ABF, 0x1AC0,
    0x1DF6, 0x1DF9, 0x1DFB, 0x1DFB, 0x2E43, 0x2E4F, 0x2E52, 0x2E52, 0xA82C, 0xA82C,
    0xA8C5, 0xA8C5, 0xA8FF, 0xA8FF, 0xA9BD, 0xA9BD, 0x10D24, 0x10D27, 0x10EAB, 0x10EAD,
    0x10F46, 0x10F50, 0x10F55, 0x10F59, 0x110CD, 0x110CD, 0x111CF, 0x111CF, 0x1123E, 0x1123E,
    0x1133B, 0x1133B, 0x11438, 0x1143F, 0x11442, 0x11444, 0x11446, 0x11446, 0x1144B, 0x1144F,
    0x1145A, 0x1145B, 0x1145D, 0x1145E, 0x11660, 0x1166C, 0x1182F, 0x11837, 0x11839, 0x1183B,
    0x1193B, 0x1193C, 0x1193E, 0x1193E, 0x11943, 0x11946, 0x119D4, 0x119D7, 0x119DA, 0x119DB,
    0x119E0, 0x119E0, 0x119E2, 0x119E2, 0x11A01, 0x11A0A, 0x11A33, 0x11A38, 0x11A3B, 0x11A47,
    0x11A51, 0x11A56, 0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A9C, 0x11A9E, 0x11AA2,
    0x11C30, 0x11C36, 0x11C38, 0x11C3D, 0x11C3F, 0x11C3F, 0x11C41, 0x11C45, 0x11C70, 0x11C71,
    0x11C92, 0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3, 0x11CB5, 0x11CB6, 0x11D31, 0x11D36,
    0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47, 0x11D90, 0x11D91,
    0x11D95, 0x11D95, 0x11D97, 0x11D97, 0x11EF3, 0x11EF4, 0x11EF7, 0x11EF8, 0x11FFF, 0x11FFF,
    0x13430, 0x13438, 0x16E97, 0x16E9A, 0x16F4F, 0x16F4F, 0x16FE2, 0x16FE2, 0x16FE4, 0x16FE4,
    0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026, 0x1E02A,
    0x1E130, 0x1E136, 0x1E2EC, 0x1E2EF, 0x1E944, 0x1E94A, 0x1E95E, 0x1E95F
  };

  /**
   * Punctuation in Unicode 8 that later versions re-filed: U+166D CANADIAN SYLLABICS CHI SIGN (now
   * a symbol) and U+111C9 SHARADA SANDHI MARK (now a non-spacing mark).
   */
  private static final int[] REFERENCE_PUNCTUATION = {0x166D, 0x111C9};

  private BertText() {}

  /**
   * Applies the BertNormalizer steps in HuggingFace's order: clean text, space out CJK ideographs,
   * strip accents (NFD, then drop non-spacing marks), lower-case.
   */
  static String normalize(
      String text, boolean cleanText, boolean handleChinese, boolean stripAccents, boolean lower) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    boolean ascii = true;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
          continue;
        }
        if (isWhitespace(cp)) {
          cp = ' ';
        }
      }
      if (cp >= 0x80) {
        ascii = false;
      }
      if (handleChinese && isChinese(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    }
    String s = sb.toString();
    // ASCII is already in NFD, has no marks, and lower-cases one to one: skip the general path.
    if (ascii) {
      return lower ? asciiLower(s) : s;
    }
    if (stripAccents) {
      s = stripNonSpacingMarks(Normalizer.normalize(s, Normalizer.Form.NFD));
    }
    return lower ? lowerEachCodePoint(s) : s;
  }

  /**
   * Rust's {@code char::is_whitespace} (the Unicode White_Space property), which the pre-tokenizer
   * splits on. Not {@link Character#isWhitespace}: that one excludes no-break spaces and includes
   * the information separators U+001C..U+001F.
   */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /**
   * BERT's "control": Unicode general category C* (Cc, Cf, Cn, Co, Cs), except tab, newline and
   * carriage return, which count as whitespace.
   */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
        return !isReferenceOrdinary(cp);
      default:
        // Not UNASSIGNED either: the reference's table of unassigned code points is empty.
        return false;
    }
  }

  /**
   * BERT's punctuation: every ASCII non-alphanumeric symbol (so {@code $ + < = > ^ ` | ~} too,
   * though Unicode files them as symbols) plus Unicode categories P*.
   */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    if (cp == REFERENCE_PUNCTUATION[0] || cp == REFERENCE_PUNCTUATION[1]) {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return !isReferenceOrdinary(cp);
      default:
        return false;
    }
  }

  /** A non-spacing mark (category Mn), which accent stripping removes after NFD. */
  static boolean isNonSpacingMark(int cp) {
    return Character.getType(cp) == Character.NON_SPACING_MARK
        && cp != REFERENCE_PUNCTUATION[1]
        && !isReferenceOrdinary(cp);
  }

  private static boolean isReferenceOrdinary(int cp) {
    if (cp < REFERENCE_ORDINARY[0]) {
      return false;
    }
    // Binary search over the range starts (even indexes).
    int lo = 0;
    int hi = REFERENCE_ORDINARY.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (REFERENCE_ORDINARY[2 * mid] <= cp) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi >= 0 && cp <= REFERENCE_ORDINARY[2 * hi + 1];
  }

  /**
   * The CJK Unified Ideograph blocks BERT spaces out (one ideograph per word). Hiragana, Katakana
   * and Hangul are not in them: those scripts are tokenized like any other.
   */
  static boolean isChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  private static String stripNonSpacingMarks(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!isNonSpacingMark(cp)) {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /**
   * Lower-cases code point by code point, as HuggingFace does: unlike {@link String#toLowerCase},
   * no context rules (a final capital sigma becomes σ, not ς).
   */
  private static String lowerEachCodePoint(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0x130) {
        // The one unconditional one-to-many lower-case mapping: İ becomes i + combining dot.
        sb.append('i').append('\u0307');
      } else {
        sb.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return sb.toString();
  }

  private static String asciiLower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] += 'a' - 'A';
          }
        }
        return new String(chars);
      }
    }
    return s;
  }
}
