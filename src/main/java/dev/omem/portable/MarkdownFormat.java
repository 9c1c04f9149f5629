package dev.omem.portable;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Markdown both ways. Export: a heading per category, a bullet per memory (continuation lines
 * indented). Import: headings make sections; with {@link Strategy#ATOMIC} (and {@code auto}) each
 * bullet or paragraph becomes a memory, with {@link Strategy#SECTION} each section, with {@link
 * Strategy#DOCUMENT} the whole file. A memory's tags hold its heading path, slugged and joined by
 * {@code /} (e.g. {@code project/code-style}). A Cursor rules file ({@code .mdc}) starts with YAML
 * front matter between {@code ---} lines: it is not imported as text; its {@code globs} become tags
 * {@code glob:<glob>} and its {@code description} a tag {@code rule:<slug>}. Each memory's source
 * is the file's name (or {@code markdown}).
 */
public final class MarkdownFormat {
  private MarkdownFormat() {}

  // ---- export ----

  /**
   * The file's start; then, for each category in {@link Category}'s order that has memories, {@link
   * #heading} and each of its memories ({@link #item}). Written as it goes, never held whole.
   */
  public static void start(Writer out, Instant exportedAt) throws IOException {
    out.write("# omem memories\n\nExported " + exportedAt + ".\n");
  }

  public static void heading(Writer out, Category c) throws IOException {
    out.write("\n## " + title(c) + "\n\n");
  }

  public static void item(Writer out, Memory m) throws IOException {
    out.write("- " + m.content().strip().replace("\n", "\n  ") + "\n");
  }

  private static String title(Category c) {
    String w = c.wire();
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  // ---- import ----

  /** A heading's text, its level and the lines under it (up to the next heading). */
  private record Section(List<String> path, List<String> lines) {}

  public static ParsedFile read(String text, String fileName, Strategy strategy) {
    String source = fileName == null || fileName.isBlank() ? "markdown" : baseName(fileName);
    List<String> lines = new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n", -1)));
    List<String> fileTags = new ArrayList<>();
    frontMatter(lines, fileTags);
    List<Section> sections = sections(lines);
    List<ImportItem> items = new ArrayList<>();
    switch (strategy) {
      case DOCUMENT -> {
        String doc = String.join("\n", lines).strip();
        if (!doc.isEmpty()) {
          items.add(ImportItem.of(doc, fileTags, source));
        }
      }
      case SECTION -> {
        for (Section s : sections) {
          List<String> body = new ArrayList<>();
          if (!s.path().isEmpty()) {
            body.add(s.path().get(s.path().size() - 1));
          }
          body.add(String.join("\n", s.lines()).strip());
          String content = String.join("\n", body).strip();
          if (!String.join("", s.lines()).isBlank()) {
            items.add(ImportItem.of(content, tags(s, fileTags), source));
          }
        }
      }
      default -> {
        for (Section s : sections) {
          for (String block : blocks(s.lines())) {
            items.add(ImportItem.of(block, tags(s, fileTags), source));
          }
        }
      }
    }
    return ParsedFile.items(items, List.of(), items.size());
  }

  private static String baseName(String fileName) {
    String n = fileName.replace('\\', '/');
    return n.substring(n.lastIndexOf('/') + 1);
  }

  /** Removes YAML front matter from {@code lines}, turning description and globs into tags. */
  private static void frontMatter(List<String> lines, List<String> tags) {
    if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
      return;
    }
    int end = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("---")) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      return;
    }
    String key = null;
    for (int i = 1; i < end; i++) {
      String l = lines.get(i);
      String t = l.strip();
      if (t.startsWith("- ") && "globs".equals(key)) {
        addGlobs(t.substring(2), tags);
        continue;
      }
      int colon = l.indexOf(':');
      if (colon <= 0 || Character.isWhitespace(l.charAt(0))) {
        continue;
      }
      key = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = unquote(l.substring(colon + 1).strip());
      if (key.equals("globs")) {
        addGlobs(value, tags);
      } else if (key.equals("description") && !value.isEmpty()) {
        String slug = slug(value);
        if (!slug.isEmpty()) {
          tags.add(clip("rule:" + slug));
        }
      }
    }
    lines.subList(0, end + 1).clear();
  }

  private static void addGlobs(String value, List<String> tags) {
    String v = value.strip();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    for (String g : v.split(",")) {
      String glob = unquote(g.strip());
      if (!glob.isEmpty()) {
        tags.add(clip("glob:" + glob));
      }
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static List<Section> sections(List<String> lines) {
    List<Section> out = new ArrayList<>();
    List<String> path = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<String> current = new ArrayList<>();
    boolean fence = false;
    for (String l : lines) {
      if (l.strip().startsWith("```") || l.strip().startsWith("~~~")) {
        fence = !fence;
      }
      int level = fence ? 0 : headingLevel(l);
      if (level == 0) {
        current.add(l);
        continue;
      }
      out.add(new Section(List.copyOf(path), current));
      current = new ArrayList<>();
      while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
        levels.remove(levels.size() - 1);
        path.remove(path.size() - 1);
      }
      levels.add(level);
      path.add(l.strip().substring(level).strip().replaceAll("\\s*#+$", ""));
    }
    out.add(new Section(List.copyOf(path), current));
    return out;
  }

  private static int headingLevel(String l) {
    int n = 0;
    while (n < l.length() && n < 7 && l.charAt(n) == '#') {
      n++;
    }
    return n >= 1 && n <= 6 && l.length() > n && l.charAt(n) == ' ' ? n : 0;
  }

  /**
   * The bullets and paragraphs of a section: a bullet runs until the next bullet, a blank line or a
   * line back at the left margin; a fenced code block stays whole, joined to the item before it
   * when no blank line separates them.
   */
  static List<String> blocks(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = null;
    boolean fence = false;
    for (String l : lines) {
      String t = l.strip();
      boolean fenceLine = t.startsWith("```") || t.startsWith("~~~");
      if (fence || fenceLine) {
        if (cur == null) {
          cur = new StringBuilder();
        } else if (!fence) {
          cur.append('\n');
        }
        if (fence) {
          cur.append('\n');
        }
        cur.append(l);
        if (fenceLine) {
          fence = !fence;
        }
        continue;
      }
      if (t.isEmpty()) {
        cur = flush(out, cur);
        continue;
      }
      String bullet = bulletText(t);
      if (bullet != null) {
        flush(out, cur);
        cur = new StringBuilder(bullet);
      } else if (cur == null) {
        cur = new StringBuilder(t);
      } else {
        cur.append(' ').append(t);
      }
    }
    flush(out, cur);
    return out;
  }

  private static StringBuilder flush(List<String> out, StringBuilder cur) {
    if (cur != null && !cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return null;
  }

  private static String bulletText(String t) {
    if (t.length() > 2 && (t.startsWith("- ") || t.startsWith("* ") || t.startsWith("+ "))) {
      return t.substring(2).strip();
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("^\\d{1,3}[.)]\\s+(.*)$").matcher(t);
    return m.matches() ? m.group(1).strip() : null;
  }

  private static List<String> tags(Section s, List<String> fileTags) {
    List<String> out = new ArrayList<>();
    List<String> slugs =
        s.path().stream().map(MarkdownFormat::slug).filter(x -> !x.isEmpty()).toList();
    if (!slugs.isEmpty()) {
      out.add(clip(String.join("/", slugs)));
    }
    out.addAll(fileTags);
    return out;
  }

  /** Lower case, words joined by {@code -}, nothing but letters, digits and dashes. */
  public static String slug(String s) {
    return s.toLowerCase(Locale.ROOT)
        .replaceAll("[`*_\\[\\]()]", "")
        .replaceAll("[^\\p{L}\\p{N}]+", "-")
        .replaceAll("^-+|-+$", "");
  }

  /** Tags are at most 64 characters (the store's limit). */
  private static String clip(String tag) {
    return tag.length() <= 64 ? tag : tag.substring(0, 64).replaceAll("-+$", "");
  }
}
