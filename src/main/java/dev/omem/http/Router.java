package dev.omem.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a method and path to a {@link Route}. Patterns are literal segments and {@code {name}}
 * placeholders; the first registered match wins, so literal paths go before placeholders.
 */
final class Router {
  /** A matched route and the values of its placeholders. */
  record Match(Route route, Map<String, String> params) {}

  private record Entry(String method, String[] segments, Route route) {}

  private final List<Entry> entries = new ArrayList<>();

  Router add(String method, String pattern, Route route) {
    entries.add(new Entry(method, split(pattern), route));
    return this;
  }

  /** The route for this request; null when no path matches. */
  Match find(String method, String path) {
    String[] parts = split(path);
    for (Entry e : entries) {
      if (e.method.equals(method)) {
        Map<String, String> params = match(e.segments, parts);
        if (params != null) {
          return new Match(e.route, params);
        }
      }
    }
    return null;
  }

  /** Whether some route has this path under another method (405 rather than 404). */
  boolean knowsPath(String path) {
    String[] parts = split(path);
    return entries.stream().anyMatch(e -> match(e.segments, parts) != null);
  }

  private static Map<String, String> match(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
  }
}
