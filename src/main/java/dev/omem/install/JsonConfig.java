package dev.omem.install;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A client's JSON configuration file, read and written whole: Jackson keeps the order of keys, and
 * numbers exactly as written, so everything omem does not touch comes back as it was (only the
 * layout is normalised to two-space indentation, as Claude Code and Cursor write it).
 */
final class JsonConfig {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private JsonConfig() {}

  /**
   * The file's top-level object; an empty one when the file does not exist or is blank.
   *
   * @throws OmemException when it is not a JSON object (nothing may then be written)
   */
  static ObjectNode read(Path file) {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw OmemException.invalid("cannot read " + file + ": " + e.getMessage());
    }
    if (text.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw malformed(file, e.getOriginalMessage() + location(e));
    }
    if (root == null || !root.isObject()) {
      throw malformed(file, "its top level is not a JSON object");
    }
    return (ObjectNode) root;
  }

  /**
   * The object at {@code field} of {@code parent}, made when missing; an error if not an object.
   */
  static ObjectNode object(ObjectNode parent, String field, Path file, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return parent.putObject(field);
    }
    if (!n.isObject()) {
      throw malformed(file, path + " is not a JSON object");
    }
    return (ObjectNode) n;
  }

  static OmemException malformed(Path file, String why) {
    return OmemException.invalid(
        file
            + " is not a configuration omem install can edit ("
            + why
            + "): fix it, or add omem"
            + " by hand; nothing was changed");
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** The file's new content: two-space indentation, a final newline. */
  static String render(ObjectNode root) {
    try {
      return JSON.writer(PRETTY).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line, for the before/after of a key; {@code (none)} for a missing one. */
  static String compact(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "(none)";
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The edit of a JSON file: its keys' changes, and the whole new content. */
  static FileEdit edit(Path file, java.util.List<FileEdit.KeyChange> keys, ObjectNode root) {
    String content = render(root);
    return new FileEdit(
        file,
        keys,
        target -> Files.writeString(target, content, StandardCharsets.UTF_8),
        FileEdit.CONFIG_MODE);
  }
}
