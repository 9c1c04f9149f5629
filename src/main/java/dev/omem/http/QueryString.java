package dev.omem.http;

import dev.omem.domain.OmemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The query string's parameters, first value of each name; never the request body. */
final class QueryString {
  private QueryString() {}

  static Map<String, String[]> parse(String query) {
    Map<String, String[]> out = new HashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(name, new String[] {value});
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid("the query string is not URL-encoded: " + s);
    }
  }
}
