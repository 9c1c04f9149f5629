package dev.omem.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import dev.omem.llm.AgentCliSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code omem install claude-code --agent-extractor}: turns on the agent-CLI extractor (issue 14)
 * by setting {@code "extractor": "agent-cli"} in {@code <data dir>/config.json}, keeping its other
 * keys. The daemon reads it when it opens the store, so it holds whatever environment the daemon
 * was started from. Only for Claude Code: its {@code claude -p} is the CLI run, and its hooks are
 * what capture after a Stop.
 */
final class AgentExtractorSetting {
  private AgentExtractorSetting() {}

  static FileEdit plan(InstallContext ctx, Client client) {
    if (!(client instanceof ClaudeCodeClient)) {
      throw OmemException.invalid(
          "--agent-extractor runs Claude Code's CLI after its Stop hook: use it with claude-code");
    }
    Path file = ctx.dataHome().resolve("config.json");
    ObjectNode config = JsonConfig.read(file);
    String key = AgentCliSettings.EXTRACTOR_KEY;
    JsonNode before = config.get(key);
    config.put(key, AgentCliSettings.AGENT_CLI);
    return JsonConfig.edit(
        file,
        List.of(
            new FileEdit.KeyChange(
                key, JsonConfig.compact(before), JsonConfig.compact(config.get(key)))),
        config);
  }
}
