package dev.omem.install;

import java.nio.file.Path;
import java.util.List;

/** Cursor: {@code ~/.cursor/mcp.json}, {@code mcpServers.omem}. (Its hooks are not set up.) */
final class CursorClient implements Client {
  @Override
  public String id() {
    return "cursor";
  }

  @Override
  public String displayName() {
    return "Cursor";
  }

  static Path configFile(InstallContext ctx) {
    return ctx.userHome().resolve(".cursor").resolve("mcp.json");
  }

  @Override
  public List<FileEdit> plan(InstallContext ctx) {
    return List.of(McpServersJson.plan(configFile(ctx), McpServersJson.entry(ctx, null, false)));
  }

  @Override
  public List<String> notes(InstallContext ctx) {
    return List.of(
        "Cursor: omem's MCP tools are registered for every project; Cursor's hooks are not set"
            + " up, so memories are stored and searched when the agent calls the tools.",
        "Restart Cursor (or reload its MCP servers in Settings > MCP) to load omem.");
  }

  @Override
  public String status(InstallContext ctx) {
    return McpServersJson.status(configFile(ctx));
  }
}
