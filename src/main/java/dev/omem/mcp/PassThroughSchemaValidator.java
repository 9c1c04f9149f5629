package dev.omem.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Accepts every structured result as valid, passing on its JSON text unchanged. */
final class PassThroughSchemaValidator implements JsonSchemaValidator {
  private final McpJsonMapper json;

  PassThroughSchemaValidator(McpJsonMapper json) {
    this.json = json;
  }

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object content) {
    try {
      return ValidationResponse.asValid(json.writeValueAsString(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
