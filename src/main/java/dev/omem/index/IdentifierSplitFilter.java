package dev.omem.index;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Trims punctuation from the ends of a token ({@code "end."}, {@code --no-verify}) and, when what
 * is left is an identifier, emits it whole, marked as a keyword so that it is not stemmed, followed
 * by its parts at the same position: split at {@code _ . - / : @}, at case changes ({@code
 * getUserById}, {@code HTTPServer}) and between letters and digits ({@code utf8}). A path's
 * segments that are identifiers themselves ({@code App.tsx} in {@code src/main/App.tsx}) and a
 * version without its {@code v} ({@code 1.2.3} of {@code v1.2.3}) are emitted whole as well. Parts
 * go on through the stop list and the stemmer like any word.
 */
final class IdentifierSplitFilter extends TokenFilter {
  private static final Pattern VERSION = Pattern.compile("[vV]\\d+(?:\\.\\d+)+");

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);

  /** The current token's other forms, still to emit. */
  private final ArrayDeque<Form> pending = new ArrayDeque<>();

  private record Form(String text, boolean whole) {}

  IdentifierSplitFilter(TokenStream in) {
    super(in);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!pending.isEmpty()) {
      Form f = pending.poll();
      term.setEmpty().append(f.text());
      keyword.setKeyword(f.whole());
      posInc.setPositionIncrement(0);
      return true;
    }
    while (input.incrementToken()) {
      String token = trim(term.toString());
      if (token.isEmpty()) {
        continue; // only punctuation, such as "--" or "..."
      }
      term.setEmpty().append(token);
      List<String> parts = parts(token);
      if (parts.size() < 2) {
        return true; // a plain word
      }
      keyword.setKeyword(true);
      Set<String> wholes = new LinkedHashSet<>();
      if (VERSION.matcher(token).matches()) {
        wholes.add(token.substring(1));
      }
      for (String segment : token.split("[/:@]")) {
        if (!segment.equals(token) && parts(segment).size() > 1) {
          wholes.add(segment);
        }
      }
      wholes.forEach(w -> pending.add(new Form(w, true)));
      new LinkedHashSet<>(parts).forEach(p -> pending.add(new Form(p, false)));
      return true;
    }
    return false;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    pending.clear();
  }

  /** The token without joiners or apostrophes at either end. */
  static String trim(String t) {
    int from = 0;
    int to = t.length();
    while (from < to && !Character.isLetterOrDigit(t.charAt(from))) {
      from++;
    }
    while (to > from && !Character.isLetterOrDigit(t.charAt(to - 1))) {
      to--;
    }
    return t.substring(from, to);
  }

  /**
   * The parts of an identifier, in order; one part for a plain word. Apostrophes do not split
   * ({@code don't}, and {@code Caroline's} is left to the possessive filter).
   */
  static List<String> parts(String t) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (DeveloperAnalyzer.isJoiner(c)) {
        if (start >= 0) {
          out.add(t.substring(start, i));
          start = -1;
        }
        continue;
      }
      if (start >= 0 && boundary(t, i)) {
        out.add(t.substring(start, i));
        start = i;
      }
      if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      out.add(t.substring(start));
    }
    out.removeIf(p -> p.chars().noneMatch(Character::isLetterOrDigit));
    return out;
  }

  /** Whether a new part starts at {@code i}: a case change or a letter/digit change. */
  private static boolean boundary(String t, int i) {
    char prev = t.charAt(i - 1);
    char c = t.charAt(i);
    if (DeveloperAnalyzer.isApostrophe(prev) || DeveloperAnalyzer.isApostrophe(c)) {
      return false;
    }
    if (Character.isLetter(prev) != Character.isLetter(c)) {
      return Character.isLetterOrDigit(prev) && Character.isLetterOrDigit(c);
    }
    if (Character.isLowerCase(prev) && Character.isUpperCase(c)) {
      return true; // getUser|ById
    }
    // HTTP|Server: an upper-case run ends before the capital that starts a lower-case word
    return Character.isUpperCase(prev)
        && Character.isUpperCase(c)
        && i + 1 < t.length()
        && Character.isLowerCase(t.charAt(i + 1));
  }
}
