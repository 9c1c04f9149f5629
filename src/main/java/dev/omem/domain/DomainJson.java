package dev.omem.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one Jackson setup of the answer records ({@link MemoryWire}, {@link HistoryEntry}, {@link
 * MemoryPage}, {@link SearchTrace}; a {@link Memory} inside them goes as its {@code MemoryWire}):
 * nulls written (ourmem's answers carry every field), times as RFC 3339 ({@link Instant#toString}),
 * read leniently: unknown fields ignored, scalars coerced, any offset or fraction of a second. An
 * answer that does not fit is an {@link ErrorCode#INTERNAL} error naming the field.
 */
final class DomainJson {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  static final ObjectMapper JSON =
      JsonMapper.builder()
          // ourmem sends fields omem does not know (stale_info, l0_abstract, ...)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addModule(
              new SimpleModule("omem-times")
                  .addSerializer(Instant.class, new TimeWriter())
                  .addDeserializer(Instant.class, new TimeReader())
                  .addSerializer(Memory.class, new MemoryWriter())
                  .addDeserializer(Memory.class, new MemoryReader()))
          .build();

  private DomainJson() {}

  /** A record as the map the faces render (and may add fields to), nulls and order kept. */
  static Map<String, Object> map(Object value) {
    return JSON.convertValue(value, OBJECT);
  }

  /**
   * A record's JSON text as UTF-8, the same bytes as {@link #map}'s map written by a plain mapper,
   * without building the map (MemoryWireBytesTest checks that they are the same).
   */
  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  /** {@code j} bound to {@code type}; what does not fit is an error naming its field. */
  static <T> T read(JsonNode j, Class<T> type) {
    try {
      return JSON.treeToValue(j, type);
    } catch (InvalidFormatException e) {
      String f = "'" + field(e) + "'";
      if (e.getTargetType() == Instant.class) {
        throw unreadable(f + ": '" + e.getValue() + "' is not an RFC 3339 time");
      }
      throw unreadable(f + " must be " + wanted(e.getTargetType()) + ", got " + e.getValue());
    } catch (JsonMappingException e) {
      throw unreadable("'" + field(e) + "' cannot be read: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw unreadable("the answer cannot be read: " + e.getMessage());
    }
  }

  /** An RFC 3339 time ({@code Z} or an offset, any fraction of a second), or null. */
  static Instant parseTime(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.trim().toUpperCase(Locale.ROOT).replace(' ', 'T');
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e2) {
        throw unreadable("'" + s + "' is not an RFC 3339 time");
      }
    }
  }

  static OmemException unreadable(String message) {
    return new OmemException(ErrorCode.INTERNAL, message);
  }

  private static String wanted(Class<?> c) {
    boolean number = c != null && (Number.class.isAssignableFrom(c) || c.isPrimitive());
    return number && c != boolean.class ? "a number" : "another type";
  }

  private static String field(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    for (int i = path.size() - 1; i >= 0; i--) {
      if (path.get(i).getFieldName() != null) {
        return path.get(i).getFieldName();
      }
    }
    return "the answer";
  }

  private static final class MemoryWriter extends JsonSerializer<Memory> {
    @Override
    public void serialize(Memory m, JsonGenerator g, SerializerProvider p) throws IOException {
      p.defaultSerializeValue(MemoryWire.of(m), g);
    }
  }

  private static final class MemoryReader extends JsonDeserializer<Memory> {
    @Override
    public Memory deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return ctxt.readValue(p, MemoryWire.class).toMemory();
    }
  }

  private static final class TimeWriter extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant t, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(t.toString());
    }
  }

  private static final class TimeReader extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = p.getValueAsString();
      try {
        return parseTime(s);
      } catch (OmemException e) {
        throw ctxt.weirdStringException(s, Instant.class, "not an RFC 3339 time");
      }
    }
  }
}
