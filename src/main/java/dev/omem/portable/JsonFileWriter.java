package dev.omem.portable;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a file format's JSON object whose one array field (the memories) is given item by item, so
 * that the file is never held whole: the same text {@link PortableJson#JSON} writes for the whole
 * object (sorted keys, indented), and a final newline, written to {@code out} as it goes. Started
 * by {@link OmemFormat#start} or {@link OmpFormat#start}.
 */
public final class JsonFileWriter {
  /** Items are not flushed one by one: the caller's writer decides when bytes leave. */
  private static final ObjectWriter ITEM =
      PortableJson.JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final Writer out;
  private final JsonGenerator gen;
  private final Map<String, Object> after = new TreeMap<>();

  /**
   * Starts the object: the fields of {@code fields} that sort before {@code arrayField}, then the
   * array's opening; the fields that sort after it are written by {@link #close}.
   */
  JsonFileWriter(Writer out, Map<String, Object> fields, String arrayField) {
    this.out = out;
    try {
      gen = PortableJson.JSON.getFactory().createGenerator(out);
      gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      gen.setPrettyPrinter(
          PortableJson.JSON.getSerializationConfig().constructDefaultPrettyPrinter());
      gen.writeStartObject();
      for (Map.Entry<String, Object> e : new TreeMap<>(fields).entrySet()) {
        if (e.getKey().compareTo(arrayField) < 0) {
          gen.writeFieldName(e.getKey());
          ITEM.writeValue(gen, e.getValue());
        } else {
          after.put(e.getKey(), e.getValue());
        }
      }
      gen.writeFieldName(arrayField);
      gen.writeStartArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }

  /** One item of the array. */
  public void item(Object value) {
    try {
      ITEM.writeValue(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }

  /**
   * Ends the array and the object, and flushes: the file is complete. Not called when writing
   * failed half-way, so that a broken export never looks like a whole one.
   */
  public void finish() {
    try {
      gen.writeEndArray();
      for (Map.Entry<String, Object> e : after.entrySet()) {
        gen.writeFieldName(e.getKey());
        ITEM.writeValue(gen, e.getValue());
      }
      gen.writeEndObject();
      gen.close();
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }
}
