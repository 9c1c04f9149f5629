package dev.omem.mcp;

import dev.omem.domain.OmemException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads tool arguments with the types the schema promises, failing with a message that names the
 * argument. Unknown arguments are ignored: clients send extras. Wrong types are refused, never
 * coerced: {@code tags: "a,b"} or {@code limit: "5"} means the caller holds the schema wrong, and a
 * guess (one tag named "a,b", a list made of a sentence) would be stored silently.
 */
final class Args {
  private final Map<String, Object> raw;

  Args(Map<String, Object> raw) {
    this.raw = raw == null ? Map.of() : raw;
  }

  String string(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(name, "a string", v);
  }

  Integer integer(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw wrongType(name, "a whole number", v);
  }

  Double number(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrongType(name, "a number", v);
  }

  boolean flag(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(name, "true or false", v);
  }

  /** An array of strings. */
  List<String> strings(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw wrongType(name, "an array of strings", v);
        }
        out.add(s);
      }
      return out;
    }
    throw wrongType(name, "an array of strings", v);
  }

  Instant time(String name) {
    String s = string(name);
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(s.trim())
            .atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant();
      } catch (DateTimeParseException e2) {
        throw OmemException.invalid(
            name
                + " must be a date (2026-11-22) or an RFC 3339 time (2026-11-22T10:00:00Z), got '"
                + s
                + "'");
      }
    }
  }

  List<Map<String, Object>> objects(String name) {
    Object v = raw.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list)) {
      throw wrongType(name, "an array of objects", v);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw wrongType(name, "an array of objects", v);
      }
      Map<String, Object> typed = new java.util.LinkedHashMap<>();
      m.forEach((k, val) -> typed.put(String.valueOf(k), val));
      out.add(typed);
    }
    return out;
  }

  private static OmemException wrongType(String name, String expected, Object got) {
    String kind =
        got instanceof String
            ? "a string"
            : got instanceof Number
                ? "a number"
                : got instanceof List<?>
                    ? "an array"
                    : got instanceof Map<?, ?>
                        ? "an object"
                        : got instanceof Boolean ? "a boolean" : "something else";
    return OmemException.invalid(name + " must be " + expected + ", got " + kind);
  }
}
