package dev.omem.install;

import dev.omem.domain.OmemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Just enough TOML to edit one table of a file by text: finds every table header and key/value pair
 * with the lines they span, and refuses what is not TOML (unclosed strings, arrays or headers, a
 * line that is neither a header nor {@code key = value}). Values are checked for their shape, not
 * read; comments and layout are never touched, since edits replace whole lines.
 */
final class TomlText {
  /** A {@code [table]} or {@code [[array.of.tables]]} header on line {@code line} (0-based). */
  record Header(List<String> path, boolean array, int line) {}

  /**
   * A {@code key = value} pair, from {@code firstLine} to {@code lastLine} (0-based, inclusive).
   *
   * @param table the path of the table it is in (empty: the root table)
   * @param key its dotted key
   */
  record Pair(List<String> table, List<String> key, int firstLine, int lastLine) {
    List<String> fullKey() {
      List<String> k = new ArrayList<>(table);
      k.addAll(key);
      return k;
    }
  }

  /** The scanned file. */
  record Scan(List<String> lines, String newline, List<Header> headers, List<Pair> pairs) {}

  private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]");
  private static final Pattern SCALAR =
      Pattern.compile(
          "true|false|[+-]?(inf|nan)|\\d{4}-\\d{2}-\\d{2}[Tt ][0-9][0-9A-Za-z_.:+-]*"
              + "|[+-]?[0-9][0-9A-Za-z_.:+-]*");

  private final String text;
  private final Path file;
  private int pos;
  private int line;

  private TomlText(String text, Path file) {
    this.text = text;
    this.file = file;
  }

  /**
   * Scans a TOML document.
   *
   * @throws OmemException when it is not well-formed TOML
   */
  static Scan scan(String text, Path file) {
    return new TomlText(text, file).scan();
  }

  private Scan scan() {
    List<Header> headers = new ArrayList<>();
    List<Pair> pairs = new ArrayList<>();
    List<String> table = List.of();
    if (text.startsWith("\uFEFF")) {
      pos = 1;
    }
    while (true) {
      skipSpaces();
      if (atEnd()) {
        break;
      }
      char c = text.charAt(pos);
      if (c == '\n' || c == '\r') {
        newline();
      } else if (c == '#') {
        skipComment();
      } else if (c == '[') {
        int start = line;
        boolean array = text.startsWith("[[", pos);
        pos += array ? 2 : 1;
        skipSpaces();
        List<String> path = key();
        skipSpaces();
        if (!text.startsWith(array ? "]]" : "]", pos)) {
          throw error("a table header is not closed with " + (array ? "]]" : "]"));
        }
        pos += array ? 2 : 1;
        endOfLine();
        headers.add(new Header(path, array, start));
        table = path;
      } else {
        int start = line;
        List<String> key = key();
        skipSpaces();
        if (atEnd() || text.charAt(pos) != '=') {
          throw error("expected '=' after the key " + String.join(".", key));
        }
        pos++;
        skipSpaces();
        value();
        int end = line;
        endOfLine();
        pairs.add(new Pair(table, key, start, end));
      }
    }
    String newline = text.contains("\r\n") ? "\r\n" : "\n";
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    return new Scan(lines, newline, headers, pairs);
  }

  // ---- keys ------------------------------------------------------------------------------------

  private List<String> key() {
    List<String> parts = new ArrayList<>();
    while (true) {
      skipSpaces();
      parts.add(simpleKey());
      skipSpaces();
      if (!atEnd() && text.charAt(pos) == '.') {
        pos++;
        continue;
      }
      return parts;
    }
  }

  private String simpleKey() {
    if (atEnd()) {
      throw error("expected a key");
    }
    char c = text.charAt(pos);
    if (c == '"') {
      return basicString();
    }
    if (c == '\'') {
      return literalString();
    }
    int start = pos;
    while (!atEnd() && BARE_KEY.matcher(String.valueOf(text.charAt(pos))).matches()) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a key, found '" + c + "'");
    }
    return text.substring(start, pos);
  }

  // ---- values ----------------------------------------------------------------------------------

  private void value() {
    if (atEnd()) {
      throw error("a value is missing");
    }
    char c = text.charAt(pos);
    if (text.startsWith("\"\"\"", pos)) {
      multiLine("\"\"\"", true);
    } else if (text.startsWith("'''", pos)) {
      multiLine("'''", false);
    } else if (c == '"') {
      basicString();
    } else if (c == '\'') {
      literalString();
    } else if (c == '[') {
      array();
    } else if (c == '{') {
      inlineTable();
    } else {
      scalar();
    }
  }

  private String basicString() {
    pos++; // the opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (atEnd() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
        throw error("a string is not closed on its line");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (atEnd()) {
          throw error("a string ends in a backslash");
        }
        char e = text.charAt(pos++);
        b.append(
            switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
      } else {
        b.append(c);
      }
    }
  }

  private String literalString() {
    pos++;
    int start = pos;
    while (true) {
      if (atEnd() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
        throw error("a string is not closed on its line");
      }
      if (text.charAt(pos) == '\'') {
        return text.substring(start, pos++);
      }
      pos++;
    }
  }

  private void multiLine(String quotes, boolean escapes) {
    pos += 3;
    while (true) {
      if (atEnd()) {
        throw error("a multi-line string (" + quotes + ") is never closed");
      }
      char c = text.charAt(pos);
      if (escapes && c == '\\') {
        pos++;
        if (!atEnd() && text.charAt(pos) == '\n') {
          line++;
        }
        pos++;
      } else if (text.startsWith(quotes, pos)) {
        pos += 3;
        // Up to two more quotes belong to the string: """a"""" ends in a quote.
        for (int i = 0; i < 2 && !atEnd() && text.charAt(pos) == quotes.charAt(0); i++) {
          pos++;
        }
        return;
      } else {
        if (c == '\n') {
          line++;
        }
        pos++;
      }
    }
  }

  private void array() {
    pos++;
    while (!closes(']', "an array")) {
      value();
      separator(']', "an array");
    }
  }

  /** Inline tables; newlines and comments inside are allowed (TOML 1.1), not only one line. */
  private void inlineTable() {
    pos++;
    while (!closes('}', "an inline table")) {
      key();
      skipSpaces();
      if (atEnd() || text.charAt(pos) != '=') {
        throw error("expected '=' in an inline table");
      }
      pos++;
      skipSpaces();
      value();
      separator('}', "an inline table");
    }
  }

  /**
   * Past blank lines and comments to the next item of an array or inline table ({@code what}):
   * true, and past it, when that is its {@code close}.
   */
  private boolean closes(char close, String what) {
    skipBlankLinesAndComments();
    if (atEnd()) {
      throw error(what + " is not closed with " + close);
    }
    if (text.charAt(pos) == close) {
      pos++;
      return true;
    }
    return false;
  }

  /** After an item of {@code what}: past its comma, or at its {@code close} (read by closes). */
  private void separator(char close, String what) {
    skipBlankLinesAndComments();
    if (atEnd()) {
      throw error(what + " is not closed with " + close);
    }
    char c = text.charAt(pos);
    if (c == ',') {
      pos++;
    } else if (c != close) {
      throw error("expected ',' or '" + close + "' in " + what + ", found '" + c + "'");
    }
  }

  /** Booleans, numbers, dates and times: checked for their first characters only. */
  private void scalar() {
    int start = pos;
    while (!atEnd()) {
      char c = text.charAt(pos);
      if (c == ',' || c == ']' || c == '}' || c == '#' || c == '\n' || c == '\r') {
        break;
      }
      pos++;
    }
    String token = text.substring(start, pos).strip();
    pos = start + text.substring(start, pos).stripTrailing().length();
    if (token.isEmpty() || !SCALAR.matcher(token).matches()) {
      throw error("'" + (token.isEmpty() ? text.charAt(start) : token) + "' is not a TOML value");
    }
  }

  // ---- layout ----------------------------------------------------------------------------------

  private boolean atEnd() {
    return pos >= text.length();
  }

  private void skipSpaces() {
    while (!atEnd() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private void skipComment() {
    while (!atEnd() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
      pos++;
    }
  }

  private void newline() {
    if (text.charAt(pos) == '\r') {
      pos++;
      if (atEnd() || text.charAt(pos) != '\n') {
        throw error("a carriage return without a line feed");
      }
    }
    pos++;
    line++;
  }

  private void skipBlankLinesAndComments() {
    while (true) {
      skipSpaces();
      if (atEnd()) {
        return;
      }
      char c = text.charAt(pos);
      if (c == '#') {
        skipComment();
      } else if (c == '\n' || c == '\r') {
        newline();
      } else {
        return;
      }
    }
  }

  /** After a header or a pair: only spaces and a comment until the end of the line. */
  private void endOfLine() {
    skipSpaces();
    if (atEnd()) {
      return;
    }
    char c = text.charAt(pos);
    if (c == '#') {
      skipComment();
    } else if (c != '\n' && c != '\r') {
      throw error("unexpected '" + c + "' after a value (one key = value per line)");
    }
  }

  private OmemException error(String what) {
    return JsonConfig.malformed(file, "not valid TOML: line " + (line + 1) + ": " + what);
  }
}
