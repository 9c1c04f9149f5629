package dev.omem.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code: the MCP server in {@code ~/.claude.json} ({@code mcpServers.omem}, what {@code
 * claude mcp add --scope user} writes) and the hooks in {@code ~/.claude/settings.json}; with
 * {@code CLAUDE_CONFIG_DIR} set, both files are in that directory (as Claude Code does).
 *
 * <p>The hooks are the Claude Code plugin's ({@code plugins/claude-code/hooks/hooks.json}, carried
 * in the jar) with {@code ${CLAUDE_PLUGIN_ROOT}} replaced by the data dir, where omem install puts
 * the same layout ({@code hooks/omem-hook}, {@code bin/omem}). A hook whose command runs an {@code
 * omem-hook} (an earlier install) is replaced; every other hook stays.
 */
final class ClaudeCodeClient implements Client {
  /** Commands of omem's hooks contain this; any such hook is omem's own. */
  static final String HOOK_MARK = "omem-hook";

  private static final Pattern QUOTED_ROOT =
      Pattern.compile("\"\\$\\{CLAUDE_PLUGIN_ROOT}([^\"]*)\"");
  private static final Pattern BARE_ROOT = Pattern.compile("\\$\\{CLAUDE_PLUGIN_ROOT}(\\S*)");

  @Override
  public String id() {
    return "claude-code";
  }

  @Override
  public String displayName() {
    return "Claude Code";
  }

  static Path mcpFile(InstallContext ctx) {
    return ctx.variable("CLAUDE_CONFIG_DIR")
        .map(d -> Path.of(d).resolve(".claude.json"))
        .orElse(ctx.userHome().resolve(".claude.json"));
  }

  static Path settingsFile(InstallContext ctx) {
    return ctx.variable("CLAUDE_CONFIG_DIR")
        .map(Path::of)
        .orElse(ctx.userHome().resolve(".claude"))
        .resolve("settings.json");
  }

  @Override
  public List<FileEdit> plan(InstallContext ctx) {
    List<FileEdit> edits = new ArrayList<>();
    edits.add(McpServersJson.plan(mcpFile(ctx), McpServersJson.entry(ctx, "stdio", true)));
    hooksTemplate(ctx).ifPresent(t -> edits.add(planHooks(ctx, t)));
    return edits;
  }

  /** The plugin's hooks (event → groups), when this jar carries both them and the hook script. */
  private static Optional<ObjectNode> hooksTemplate(InstallContext ctx) {
    if (ctx.resources().get(Artifacts.HOOK_SCRIPT).isEmpty()) {
      return Optional.empty();
    }
    return ctx.resources()
        .get(Artifacts.HOOKS_JSON)
        .map(
            bytes -> {
              try {
                return (ObjectNode) JsonConfig.JSON.readTree(bytes).get("hooks");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static FileEdit planHooks(InstallContext ctx, ObjectNode template) {
    Path file = settingsFile(ctx);
    ObjectNode settings = JsonConfig.read(file);
    ObjectNode hooks = JsonConfig.object(settings, "hooks", file, "hooks");
    List<FileEdit.KeyChange> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> event : template.properties()) {
      JsonNode existing = hooks.get(event.getKey());
      if (existing != null && !existing.isArray()) {
        throw JsonConfig.malformed(file, "hooks." + event.getKey() + " is not a JSON array");
      }
      ArrayNode groups = withoutOmemHooks((ArrayNode) existing);
      for (JsonNode group : event.getValue()) {
        groups.add(installed(ctx, (ObjectNode) group.deepCopy()));
      }
      keys.add(
          new FileEdit.KeyChange(
              "hooks." + event.getKey(), JsonConfig.compact(existing), JsonConfig.compact(groups)));
      hooks.set(event.getKey(), groups);
    }
    return JsonConfig.edit(file, keys, settings);
  }

  /** A copy of an event's hook groups without omem's hooks (groups left empty are dropped). */
  static ArrayNode withoutOmemHooks(ArrayNode groups) {
    ArrayNode kept = JsonConfig.JSON.createArrayNode();
    if (groups == null) {
      return kept;
    }
    for (JsonNode group : groups) {
      JsonNode list = group.path("hooks");
      if (!list.isArray()) {
        kept.add(group.deepCopy());
        continue;
      }
      ArrayNode others = JsonConfig.JSON.createArrayNode();
      list.forEach(
          h -> {
            if (!isOmemHook(h)) {
              others.add(h.deepCopy());
            }
          });
      if (others.size() == list.size()) {
        kept.add(group.deepCopy());
      } else if (!others.isEmpty()) {
        ObjectNode copy = (ObjectNode) group.deepCopy();
        copy.set("hooks", others);
        kept.add(copy);
      }
    }
    return kept;
  }

  static boolean isOmemHook(JsonNode hook) {
    return hook.path("command").asText("").contains(HOOK_MARK);
  }

  /** A plugin hook group made to run the installed hook script (with OMEM_HOME if needed). */
  private static ObjectNode installed(InstallContext ctx, ObjectNode group) {
    for (JsonNode h : group.path("hooks")) {
      if (h.has("command")) {
        ((ObjectNode) h).put("command", hookCommand(ctx, h.get("command").asText()));
      }
    }
    return group;
  }

  static String hookCommand(InstallContext ctx, String template) {
    String root = ctx.dataHome().toString();
    Matcher q = QUOTED_ROOT.matcher(template);
    StringBuilder b = new StringBuilder();
    while (q.find()) {
      q.appendReplacement(b, Matcher.quoteReplacement(shellQuote(root + q.group(1))));
    }
    q.appendTail(b);
    Matcher bare = BARE_ROOT.matcher(b.toString());
    b = new StringBuilder();
    while (bare.find()) {
      bare.appendReplacement(b, Matcher.quoteReplacement(shellQuote(root + bare.group(1))));
    }
    bare.appendTail(b);
    String command = b.toString();
    if (!ctx.defaultDataHome()) {
      command = "OMEM_HOME=" + shellQuote(root) + " " + command;
    }
    return command;
  }

  /** A word for sh: single-quoted when it holds anything but safe characters. */
  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public List<String> notes(InstallContext ctx) {
    List<String> notes = new ArrayList<>();
    if (hooksTemplate(ctx).isEmpty()) {
      notes.add(
          "Claude Code hooks were not set up: this omem.jar carries no hook script. The Claude"
              + " Code plugin has them (claude plugin marketplace add <omem checkout>, then claude"
              + " plugin install omem@omem).");
    }
    if (pluginEnabled(ctx)) {
      notes.add(
          "The omem plugin is enabled in Claude Code as well: it brings the same MCP server and"
              + " hooks, so both would run. Keep one (claude plugin uninstall omem@omem, or remove"
              + " mcpServers.omem and the omem-hook hooks this wrote).");
    }
    notes.add("Start a new Claude Code session to load omem.");
    return notes;
  }

  /** Whether settings.json enables a plugin called omem (from any marketplace). */
  private static boolean pluginEnabled(InstallContext ctx) {
    try {
      JsonNode enabled = JsonConfig.read(settingsFile(ctx)).path("enabledPlugins");
      for (Map.Entry<String, JsonNode> e : enabled.properties()) {
        if (e.getKey().startsWith("omem@") && e.getValue().asBoolean(false)) {
          return true;
        }
      }
    } catch (OmemException e) {
      // unreadable settings: planHooks says so
    }
    return false;
  }

  @Override
  public String status(InstallContext ctx) {
    StringBuilder s = new StringBuilder(McpServersJson.status(mcpFile(ctx)));
    Path settings = settingsFile(ctx);
    if (Files.exists(settings)) {
      try {
        JsonNode hooks = JsonConfig.read(settings).path("hooks");
        List<String> events = new ArrayList<>();
        hooks
            .properties()
            .forEach(
                e -> {
                  for (JsonNode group : e.getValue()) {
                    for (JsonNode h : group.path("hooks")) {
                      if (isOmemHook(h) && !events.contains(e.getKey())) {
                        events.add(e.getKey());
                      }
                    }
                  }
                });
        s.append(
            events.isEmpty()
                ? "; no omem hooks in " + settings
                : "; hooks " + String.join(", ", events) + " in " + settings);
      } catch (OmemException e) {
        s.append("; ").append(settings).append(" unreadable");
      }
    }
    if (pluginEnabled(ctx)) {
      s.append("; the omem plugin is enabled");
    }
    return s.toString();
  }
}
