package dev.omem.install;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Codex CLI: the table {@code [mcp_servers.omem]} of {@code ~/.codex/config.toml} ({@code
 * $CODEX_HOME/config.toml} when set). The file is edited as text: the lines of the omem table (and
 * of its sub-tables) are replaced, and every other line, comments included, stays as it was. The
 * whole file is checked to be TOML first (see {@link TomlText}); an omem entry written in a form
 * other than its own table (dotted keys, an inline {@code mcp_servers}) is refused rather than
 * guessed at.
 */
final class CodexClient implements Client {
  static final List<String> TABLE = List.of("mcp_servers", "omem");

  @Override
  public String id() {
    return "codex";
  }

  @Override
  public String displayName() {
    return "Codex";
  }

  static Path configFile(InstallContext ctx) {
    return ctx.variable("CODEX_HOME")
        .map(Path::of)
        .orElse(ctx.userHome().resolve(".codex"))
        .resolve("config.toml");
  }

  @Override
  public List<FileEdit> plan(InstallContext ctx) {
    Path file = configFile(ctx);
    String text = read(file);
    TomlText.Scan scan = TomlText.scan(text, file);
    List<int[]> sections = omemSections(scan, file);
    List<String> lines = new ArrayList<>(scan.lines());
    String nl = scan.newline();
    List<String> block = block(ctx);
    String before;
    if (sections.isEmpty()) {
      before = "(none)";
      // Drop the empty string after a final newline; end the file with one; one blank line.
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
        lines.add("");
      }
      lines.addAll(block);
      lines.add("");
    } else {
      List<String> old = new ArrayList<>();
      for (int i = sections.size() - 1; i >= 0; i--) {
        int[] s = sections.get(i);
        List<String> removed = lines.subList(s[0], s[1] + 1);
        old.addAll(0, removed);
        removed.clear();
      }
      before = String.join("\n", old);
      lines.addAll(sections.get(0)[0], block);
    }
    String after = String.join("\n", block);
    String content = String.join(nl, lines);
    return List.of(
        new FileEdit(
            file,
            List.of(
                new FileEdit.KeyChange(
                    "[" + String.join(".", TABLE) + "]", oneLine(before), oneLine(after))),
            target -> Files.writeString(target, content, StandardCharsets.UTF_8),
            FileEdit.CONFIG_MODE));
  }

  private static String read(Path file) {
    if (!Files.exists(file)) {
      return "";
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw OmemException.invalid("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * The line ranges (first, last; 0-based) of the omem table and its sub-tables: from a header to
   * its last key/value line, so comments after it (which usually describe the next table) stay. A
   * sub-table that follows the table (or another of its sub-tables) extends the same range.
   */
  static List<int[]> omemSections(TomlText.Scan scan, Path file) {
    List<int[]> sections = new ArrayList<>();
    int tables = 0;
    List<TomlText.Header> headers = scan.headers();
    for (int i = 0; i < headers.size(); i++) {
      TomlText.Header h = headers.get(i);
      if (!startsWith(h.path(), TABLE)) {
        continue;
      }
      if (h.path().equals(TABLE) && !h.array() && ++tables > 1) {
        throw JsonConfig.malformed(
            file, "not valid TOML: line " + (h.line() + 1) + ": [mcp_servers.omem] twice");
      }
      int next = i + 1 < headers.size() ? headers.get(i + 1).line() : Integer.MAX_VALUE;
      int last = h.line();
      for (TomlText.Pair p : scan.pairs()) {
        if (p.firstLine() > h.line() && p.firstLine() < next) {
          last = Math.max(last, p.lastLine());
        }
      }
      boolean previousHeaderWasOmem = i > 0 && startsWith(headers.get(i - 1).path(), TABLE);
      if (previousHeaderWasOmem) {
        // A sub-table right after the table: one section, with the lines between them.
        sections.get(sections.size() - 1)[1] = last;
      } else {
        sections.add(new int[] {h.line(), last});
      }
    }
    for (TomlText.Pair p : scan.pairs()) {
      List<String> key = p.fullKey();
      boolean inOmemTable = startsWith(p.table(), TABLE);
      if (!inOmemTable && startsWith(key, TABLE)) {
        throw JsonConfig.malformed(
            file,
            "line "
                + (p.firstLine() + 1)
                + " sets "
                + String.join(".", key)
                + " with a dotted key; omem install edits a [mcp_servers.omem] table");
      }
      if (!inOmemTable && TABLE.subList(0, 1).equals(key)) {
        throw JsonConfig.malformed(
            file,
            "line "
                + (p.firstLine() + 1)
                + " sets mcp_servers inline; omem install adds a [mcp_servers.omem] table, which"
                + " TOML does not allow next to it: make mcp_servers tables");
      }
    }
    return sections;
  }

  private static boolean startsWith(List<String> path, List<String> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }

  /** omem's table, as Codex reads it: {@code command}, {@code args}, {@code env}. */
  static List<String> block(InstallContext ctx) {
    List<String> cmd = ctx.mcpCommand();
    List<String> b = new ArrayList<>();
    b.add("[" + String.join(".", TABLE) + "]");
    b.add("command = " + string(cmd.get(0)));
    b.add(
        "args = ["
            + cmd.subList(1, cmd.size()).stream()
                .map(CodexClient::string)
                .collect(Collectors.joining(", "))
            + "]");
    Map<String, String> env = ctx.serverEnv();
    if (!env.isEmpty()) {
      b.add(
          "env = { "
              + env.entrySet().stream()
                  .map(e -> e.getKey() + " = " + string(e.getValue()))
                  .collect(Collectors.joining(", "))
              + " }");
    }
    return b;
  }

  /** A TOML basic string. */
  static String string(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String oneLine(String s) {
    return s.strip().replace("\r", "").replace("\n", " ⏎ ");
  }

  @Override
  public List<String> notes(InstallContext ctx) {
    return List.of(
        "Codex: omem's MCP tools are registered; Codex has no session hooks, so memories are"
            + " stored and searched when the agent calls the tools. Start a new Codex session to"
            + " load omem.");
  }

  @Override
  public String status(InstallContext ctx) {
    Path file = configFile(ctx);
    if (!Files.exists(file)) {
      return "not configured (no " + file + ")";
    }
    try {
      TomlText.Scan scan = TomlText.scan(read(file), file);
      List<int[]> sections = omemSections(scan, file);
      if (sections.isEmpty()) {
        return "not configured (no [mcp_servers.omem] in " + file + ")";
      }
      String command = "";
      for (TomlText.Pair p : scan.pairs()) {
        if (p.table().equals(TABLE) && p.key().equals(List.of("command"))) {
          String line = scan.lines().get(p.firstLine());
          command = line.substring(line.indexOf('=') + 1).strip();
        }
      }
      return "configured: command = " + command + " (" + file + ")";
    } catch (OmemException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
