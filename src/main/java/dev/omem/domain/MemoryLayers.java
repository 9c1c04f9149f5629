package dev.omem.domain;

/**
 * ourmem's three layers of a memory, filled from what omem keeps (issue 17): {@code l2_content} is
 * the content, {@code l0_abstract} its first sentence on one line, {@code l1_overview} its first
 * paragraph; and {@code visibility}, which omem takes from the memory's space. ourmem has an LLM
 * write the first two; omem's memories are short facts, so their opening words say what they are.
 */
public final class MemoryLayers {
  /** An abstract's length: about one line of a terminal or a list in a UI (ourmem: ~100 tokens). */
  static final int ABSTRACT_CHARS = 120;

  /** An overview's length: a paragraph an agent reads at a glance. */
  static final int OVERVIEW_CHARS = 600;

  private MemoryLayers() {}

  /** The first sentence (or line) of {@code content}, on one line, at most 120 characters. */
  public static String abstractOf(String content) {
    String text = content == null ? "" : content.strip();
    int end = text.length();
    int nl = text.indexOf('\n');
    if (nl >= 0) {
      end = nl;
    }
    for (int i = 0; i + 1 < end; i++) {
      char c = text.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i + 1))) {
        end = i + 1;
        break;
      }
    }
    return cut(text.substring(0, end).replaceAll("\\s+", " ").strip(), ABSTRACT_CHARS);
  }

  /** The first paragraph of {@code content}, at most 600 characters. */
  public static String overviewOf(String content) {
    String text = content == null ? "" : content.strip();
    int blank = text.indexOf("\n\n");
    return cut(blank >= 0 ? text.substring(0, blank).strip() : text, OVERVIEW_CHARS);
  }

  /**
   * Who may see a memory, from its space: {@code private} in a personal space, else the space's
   * type ({@code team}, {@code organization}); a memory without a space is private.
   */
  public static String visibility(String spaceId) {
    SpaceType t = spaceId == null ? null : SpaceType.ofId(spaceId);
    return t == null || t == SpaceType.PERSONAL ? "private" : t.wire();
  }

  /** {@code s} cut to {@code max} characters at a word where one is near, with an ellipsis. */
  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int at = s.lastIndexOf(' ', max - 1);
    if (at < max / 2) {
      at = max - 1;
    }
    return s.substring(0, at).stripTrailing() + "…";
  }
}
