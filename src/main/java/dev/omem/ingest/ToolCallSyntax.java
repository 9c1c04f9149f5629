package dev.omem.ingest;

import java.util.regex.Pattern;

/**
 * The tool-call rule of the injection screen: markup that only means something to a model runtime
 * (tool-call and tool-result tags, chat-template role tokens, a JSON function call). A memory is a
 * statement about the user or the project; text in this syntax is there to be executed or to fake a
 * turn of the conversation.
 */
public final class ToolCallSyntax {
  private ToolCallSyntax() {}

  private static final Pattern TOOL_TAGS =
      Pattern.compile(
          "<\\s*/?\\s*(?:[a-z]+:)?(?:function_calls|function_results|invoke|tool_use|tool_call"
              + "|tool_calls|tool_result|tool_response|function_call|parameter\\s+name"
              + "|system-reminder|system|im_start|im_end)\\b[^>]{0,200}>",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern ROLE_TOKENS =
      Pattern.compile(
          "<\\|(?:im_start|im_end|system|user|assistant|endoftext|start_header_id|end_header_id"
              + "|eot_id)\\|>|\\[/?INST]|<<\\s*/?SYS\\s*>>",
          Pattern.CASE_INSENSITIVE);

  /** {"name": "...", "arguments"|"parameters"|"input": ...} in either key order. */
  private static final Pattern JSON_CALL =
      Pattern.compile(
          "\\{\\s*\"(?:name|tool|function|tool_name)\"\\s*:\\s*\"[^\"]{1,100}\"\\s*,\\s*"
              + "\"(?:arguments|parameters|input|args)\"\\s*:"
              + "|\\{\\s*\"(?:arguments|parameters|input|args)\"\\s*:.{0,400}?,\\s*"
              + "\"(?:name|tool|function|tool_name)\"\\s*:\\s*\"",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** Why {@code text} holds tool-call syntax, or null when it does not. */
  public static String reason(String text) {
    if (TOOL_TAGS.matcher(text).find()) {
      return "tool-call syntax: model markup tags";
    }
    if (ROLE_TOKENS.matcher(text).find()) {
      return "tool-call syntax: chat-template role tokens";
    }
    if (JSON_CALL.matcher(text).find()) {
      return "tool-call syntax: a JSON function call";
    }
    return null;
  }
}
