package dev.omem.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a user turn into the sentences and clauses a fact can be cut from: lines, list items,
 * sentence ends and semicolons; code blocks and quoted output are left out. A piece longer than
 * {@link #MAX_CHARS} is cut again at commas, so that every piece can be stored as one short memory.
 * Each piece loses its discourse filler ({@link DiscourseFiller}); pieces left empty are dropped.
 */
public final class SentenceSplitter {
  /** The longest piece: the bench counts a memory of at most 250 characters as a fact. */
  public static final int MAX_CHARS = 250;

  private static final Pattern FENCE = Pattern.compile("(?s)```.*?(```|$)");
  private static final Pattern LIST_MARK = Pattern.compile("^\\s*(?:\\d{1,2}[.)]|[-*•>]|#+)\\s+");
  // A sentence end: . ! ? followed by space, unless the dot ends a common abbreviation.
  private static final Pattern END =
      Pattern.compile("(?<!\\b(?:e\\.g|i\\.e|etc|vs|cf|approx|Mr|Dr|St)\\.)(?<=[.!?])\\s+|;\\s+");

  private SentenceSplitter() {}

  /** The pieces of {@code turn}, in order, filler removed. */
  public static List<String> split(String turn) {
    List<String> out = new ArrayList<>();
    if (turn == null) {
      return out;
    }
    String text = FENCE.matcher(turn).replaceAll("\n");
    for (String line : text.split("\\R")) {
      if (looksLikeOutput(line)) {
        continue;
      }
      String l = LIST_MARK.matcher(line).replaceFirst("").trim();
      for (String s : END.split(l)) {
        for (String piece : shortPieces(s.trim())) {
          String clean = DiscourseFiller.strip(piece);
          if (!clean.isEmpty()) {
            out.add(clean);
          }
        }
      }
    }
    return out;
  }

  /** A pasted log or stack line: indented code, a stack frame, a prompt, mostly symbols. */
  static boolean looksLikeOutput(String line) {
    String t = line.strip();
    if (t.isEmpty()) {
      return true;
    }
    if (line.startsWith("    ")
        || line.startsWith("\t")
        || t.startsWith("at ") && t.contains("(")) {
      return true;
    }
    if (t.startsWith("$ ")
        || t.startsWith("> ") && t.length() > 2 && !Character.isLetter(t.charAt(2))) {
      return true;
    }
    // A terminal or editor glyph in front (a prompt "❯", "➜", a tree "└─") or a line-number gutter
    // ("78 | code"): pasted output, whatever its letters. A plain quote mark ">" is no glyph.
    int first = t.codePointAt(0);
    int type = Character.getType(first);
    if (type == Character.OTHER_SYMBOL
        || type == Character.MATH_SYMBOL && first != '>'
        || first > 0x7f && type == Character.END_PUNCTUATION
        || GUTTER.matcher(t).find()) {
      return true;
    }
    long letters = t.chars().filter(Character::isLetter).count();
    return t.length() >= 12 && letters < t.length() * 0.5;
  }

  private static final Pattern GUTTER = Pattern.compile("^\\d+\\s*[|│]\\s");

  private static final Pattern COMMA = Pattern.compile(",\\s+");

  /** {@code s} whole when short enough, else cut at commas into pieces of at most MAX_CHARS. */
  static List<String> shortPieces(String s) {
    if (s.length() <= MAX_CHARS) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    Matcher m = COMMA.matcher(s);
    int from = 0;
    while (true) {
      boolean found = m.find();
      String part = found ? s.substring(from, m.start()) : s.substring(from);
      if (cur.length() > 0 && cur.length() + 2 + part.length() > MAX_CHARS) {
        out.add(cur.toString());
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append(", ");
      }
      cur.append(part);
      if (!found) {
        break;
      }
      from = m.end();
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    List<String> fitted = new ArrayList<>();
    for (String p : out) {
      // A piece with no comma to cut at: cut at the last space before the limit.
      String rest = p;
      while (rest.length() > MAX_CHARS) {
        int cut = rest.lastIndexOf(' ', MAX_CHARS);
        cut = cut <= 0 ? MAX_CHARS : cut;
        fitted.add(rest.substring(0, cut).trim());
        rest = rest.substring(cut).trim();
      }
      fitted.add(rest);
    }
    return fitted;
  }
}
