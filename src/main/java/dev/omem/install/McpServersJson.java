package dev.omem.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code mcpServers} object of a JSON configuration (Claude Code, Cursor, Claude Desktop): sets
 * {@code mcpServers.omem} and leaves every other key as it was.
 */
final class McpServersJson {
  static final String SERVER = "omem";

  private McpServersJson() {}

  /**
   * The server entry: {@code command}, {@code args} and, when the data dir is not the default,
   * {@code env}.
   *
   * @param type the {@code type} field first ({@code stdio} for Claude Code), or null
   * @param alwaysEnv whether to write {@code env} even when empty (as {@code claude mcp add} does)
   */
  static ObjectNode entry(InstallContext ctx, String type, boolean alwaysEnv) {
    ObjectNode e = JsonConfig.JSON.createObjectNode();
    if (type != null) {
      e.put("type", type);
    }
    List<String> cmd = ctx.mcpCommand();
    e.put("command", cmd.get(0));
    ArrayNode args = e.putArray("args");
    cmd.subList(1, cmd.size()).forEach(args::add);
    Map<String, String> env = ctx.serverEnv();
    if (alwaysEnv || !env.isEmpty()) {
      ObjectNode en = e.putObject("env");
      env.forEach(en::put);
    }
    return e;
  }

  /** The edit of {@code file} that sets {@code mcpServers.omem} to {@code entry}. */
  static FileEdit plan(Path file, ObjectNode entry) {
    ObjectNode root = JsonConfig.read(file);
    ObjectNode servers = JsonConfig.object(root, "mcpServers", file, "mcpServers");
    String before = JsonConfig.compact(servers.get(SERVER));
    servers.set(SERVER, entry);
    return JsonConfig.edit(
        file,
        List.of(new FileEdit.KeyChange("mcpServers." + SERVER, before, JsonConfig.compact(entry))),
        root);
  }

  /** {@code omem doctor}'s line for a client that keeps {@code mcpServers} in {@code file}. */
  static String status(Path file) {
    if (!Files.exists(file)) {
      return "not configured (no " + file + ")";
    }
    try {
      JsonNode server = JsonConfig.read(file).path("mcpServers").path(SERVER);
      if (!server.isObject()) {
        return "not configured (no mcpServers." + SERVER + " in " + file + ")";
      }
      return "configured: " + commandLine(server) + " (" + file + ")";
    } catch (OmemException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** The command and arguments of a server entry, and a warning when the command is missing. */
  static String commandLine(JsonNode server) {
    List<String> parts = new ArrayList<>();
    parts.add(server.path("command").asText());
    server.path("args").forEach(a -> parts.add(a.asText()));
    return withMissingWarning(parts);
  }

  static String withMissingWarning(List<String> parts) {
    String line = String.join(" ", parts);
    String command = parts.get(0);
    if (command.startsWith("/") && !Files.exists(Path.of(command))) {
      line += " [" + command + " does not exist: run omem install again]";
    }
    return line;
  }
}
