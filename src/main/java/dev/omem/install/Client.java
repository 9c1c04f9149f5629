package dev.omem.install;

import java.util.List;

/** An MCP client {@code omem install} can configure: one class per client. */
public interface Client {
  /** The name on the command line, e.g. {@code claude-code}. */
  String id();

  /** The name people know, e.g. {@code Claude Code}. */
  String displayName();

  /**
   * The edits of the client's configuration files that register omem (and its hooks, where the
   * client has them), keeping everything else the files hold. Reads the files; writes nothing.
   *
   * @throws dev.omem.domain.OmemException when a file exists but cannot be read as a configuration
   */
  List<FileEdit> plan(InstallContext ctx);

  /** What the user should know after installing (what was not set up, what to restart). */
  List<String> notes(InstallContext ctx);

  /**
   * One line for {@code omem doctor}: whether omem is configured, with what command, in which file.
   * Reads only; never throws.
   */
  String status(InstallContext ctx);

  /** Every client, in the order {@code omem doctor} lists them. */
  static List<Client> all() {
    return List.of(
        new ClaudeCodeClient(), new CursorClient(), new ClaudeDesktopClient(), new CodexClient());
  }
}
