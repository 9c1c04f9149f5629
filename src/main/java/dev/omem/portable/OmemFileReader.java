package dev.omem.portable;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Reads an omem file with Jackson's streaming parser, one memory at a time, so the heap an import
 * needs does not grow with the file (issue 19: a daemon's heap is capped; a 32 MiB file read as one
 * JSON tree took several times its size). Each memory is converted in both passes: the price of
 * knowing every unreadable one before anything is stored. Two passes over the text: the first
 * checks the whole file (valid JSON, its format and version, a memories array) and reads every
 * memory to find the unreadable ones, keeping none; only then does the import start, so a file that
 * is not JSON to its end stores nothing, as when it was read whole. The second pass ({@link
 * #iterator}) gives the readable memories again, for the import's batches.
 */
final class OmemFileReader implements ParsedFile.Restores {
  /** Opens the file's text again for each pass. */
  interface Source {
    Reader open() throws IOException;
  }

  /**
   * The formats' mapper without FAIL_ON_TRAILING_TOKENS, which would take the rest of the file
   * after each memory read as a tree for trailing tokens; the end of the file is checked here.
   */
  private static final ObjectMapper TREES =
      PortableJson.JSON.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Source source;
  private final Function<JsonNode, PortableMemory> readMemory;

  /** Which "memories" field of the object is the file's (a repeated key: the last, as a tree). */
  private int memoriesField = -1;

  private int readable;
  private int total;
  private final List<ParsedFile.ItemError> errors = new ArrayList<>();

  private OmemFileReader(Source source, Function<JsonNode, PortableMemory> readMemory) {
    this.source = source;
    this.readMemory = readMemory;
  }

  /** The first pass: throws when the file's shape is wrong; the reader gives its memories. */
  static OmemFileReader check(Source source, Function<JsonNode, PortableMemory> readMemory) {
    OmemFileReader r = new OmemFileReader(source, readMemory);
    r.firstPass();
    return r;
  }

  List<ParsedFile.ItemError> errors() {
    return List.copyOf(errors);
  }

  /** How many memories the file holds, readable or not. */
  int total() {
    return total;
  }

  @Override
  public int size() {
    return readable;
  }

  private void firstPass() {
    String format = null;
    boolean formatText = false;
    JsonNode version = null;
    boolean memories = false;
    try (JsonParser p = TREES.createParser(source.open())) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw OmemException.invalid("the omem file is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        trailing(p);
        throw notOmem();
      }
      int field = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "format" -> {
            formatText = v == JsonToken.VALUE_STRING;
            format = p.getText();
            p.skipChildren();
          }
          case "version" -> version = p.readValueAsTree();
          case "memories" -> {
            memories = v == JsonToken.START_ARRAY;
            memoriesField = field++;
            readable = 0;
            total = 0;
            errors.clear();
            if (memories) {
              readAll(p);
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      trailing(p);
    } catch (JsonProcessingException e) {
      throw OmemException.invalid("the omem file is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!formatText || !OmemFormat.FORMAT.equals(format)) {
      throw notOmem();
    }
    // Read as the whole tree's path("version").asInt(-1) read it ("1" and 1.0 are 1).
    if ((version == null ? -1 : version.asInt(-1)) != OmemFormat.VERSION) {
      throw OmemException.invalid(
          "omem export version "
              + (version == null ? "" : version.toString())
              + " is not supported (expected 1)");
    }
    if (!memories) {
      throw OmemException.invalid("an omem export needs a \"memories\" array");
    }
  }

  private static OmemException notOmem() {
    return OmemException.invalid("not an omem export: the object must have \"format\": \"omem\"");
  }

  /**
   * Nothing but white space after the file's value (as the tree reader's FAIL_ON_TRAILING_TOKENS).
   */
  private static void trailing(JsonParser p) throws IOException {
    JsonToken after = p.nextToken();
    if (after != null) {
      throw OmemException.invalid(
          "the omem file is not valid JSON: trailing token (of type "
              + after
              + ") found after the value");
    }
  }

  /** Reads the array the parser is at the start of, one element at a time, keeping none. */
  private void readAll(JsonParser p) throws IOException {
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonNode j = p.readValueAsTree();
      try {
        readMemory.apply(j);
        readable++;
      } catch (RuntimeException e) {
        errors.add(new ParsedFile.ItemError(i, OmemFormat.message(e)));
      }
      i++;
    }
    total = i;
  }

  /** The second pass: the readable memories, in the file's order, read as they are asked for. */
  @Override
  public Iterator<PortableMemory> iterator() {
    return new Iterator<>() {
      private final JsonParser p = open();
      private PortableMemory next;
      private boolean done;

      private JsonParser open() {
        try {
          JsonParser parser = TREES.createParser(source.open());
          parser.nextToken(); // START_OBJECT, as the first pass found
          int field = 0;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals("memories") && field++ == memoriesField) {
              return parser;
            }
            parser.skipChildren();
          }
          throw new IllegalStateException("the omem file changed between its two readings");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public boolean hasNext() {
        while (next == null && !done) {
          try {
            if (p.nextToken() == JsonToken.END_ARRAY) {
              done = true;
              p.close();
              break;
            }
            JsonNode j = p.readValueAsTree();
            try {
              next = readMemory.apply(j);
            } catch (RuntimeException e) {
              // noted by the first pass
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return next != null;
      }

      @Override
      public PortableMemory next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        PortableMemory m = next;
        next = null;
        return m;
      }
    };
  }
}
