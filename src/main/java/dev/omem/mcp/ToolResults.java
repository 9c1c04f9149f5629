package dev.omem.mcp;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;

/** Builds tool results: structured content with a short text rendering, or an error. */
final class ToolResults {
  private ToolResults() {}

  /**
   * The text is required: {@link PassThroughSchemaValidator} leaves the SDK no JSON text to fill an
   * empty content with.
   */
  static CallToolResult ok(Map<String, Object> structured, String text) {
    java.util.Objects.requireNonNull(text, "a tool result's text");
    return CallToolResult.builder()
        .structuredContent(structured)
        .addTextContent(text)
        .isError(false)
        .build();
  }

  /** An {@code isError} result whose text a person (or the agent) can act on. */
  static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  /** One line of a memory for text renderings, cut to keep results short. */
  static String line(String content) {
    String oneLine = content.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 199) + "…";
  }
}
