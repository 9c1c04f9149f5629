package dev.omem.install;

import java.nio.file.Path;
import java.util.List;

/**
 * Claude Desktop: {@code claude_desktop_config.json}, {@code mcpServers.omem}: in {@code
 * ~/Library/Application Support/Claude/} on macOS, {@code %APPDATA%\Claude\} on Windows, {@code
 * $XDG_CONFIG_HOME/Claude/} (default {@code ~/.config/Claude/}) on Linux builds.
 */
final class ClaudeDesktopClient implements Client {
  @Override
  public String id() {
    return "claude-desktop";
  }

  @Override
  public String displayName() {
    return "Claude Desktop";
  }

  static Path configFile(InstallContext ctx) {
    Path dir =
        switch (ctx.os()) {
          case MAC ->
              ctx.userHome().resolve("Library").resolve("Application Support").resolve("Claude");
          case WINDOWS ->
              ctx.variable("APPDATA")
                  .map(Path::of)
                  .orElse(ctx.userHome().resolve("AppData").resolve("Roaming"))
                  .resolve("Claude");
          case LINUX ->
              ctx.variable("XDG_CONFIG_HOME")
                  .map(Path::of)
                  .filter(Path::isAbsolute)
                  .orElse(ctx.userHome().resolve(".config"))
                  .resolve("Claude");
        };
    return dir.resolve("claude_desktop_config.json");
  }

  @Override
  public List<FileEdit> plan(InstallContext ctx) {
    return List.of(McpServersJson.plan(configFile(ctx), McpServersJson.entry(ctx, null, false)));
  }

  @Override
  public List<String> notes(InstallContext ctx) {
    return List.of(
        "Quit and reopen Claude Desktop to load omem (or install the bundle target/omem.mcpb"
            + " from mcpb/pack instead: it carries its own jar).");
  }

  @Override
  public String status(InstallContext ctx) {
    return McpServersJson.status(configFile(ctx));
  }
}
