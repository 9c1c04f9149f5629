package dev.omem.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a method and path to a {@link Route}. Patterns are literal segments and {@code {name}}
 * placeholders; a literal segment wins over a placeholder whatever the order of registration. A
 * path is matched percent-decoded, an encoded slash splitting segments ({@link EncodedPath}).
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

  /**
   * The route for this request; null when no path matches or the path's route has another method.
   * Among the patterns matching the path, the most literal one decides, so {@code GET
   * /v1/memories/batch-delete} is a known path with the wrong method, not a memory id.
   */
  Match find(String method, String path) {
    String[] parts = split(path);
    String[] best = pattern(parts);
    for (Entry e : entries) {
      if (e.method.equals(method) && Arrays.equals(e.segments, best)) {
        return new Match(e.route, match(e.segments, parts));
      }
    }
    return null;
  }

  /**
   * The pattern of the route this request reaches ({@code /v1/memories/{id}}), so that metrics and
   * logs name routes, not the ids in paths; null when none does.
   */
  String template(String method, String path) {
    String[] best = pattern(split(path));
    if (best == null) {
      return null;
    }
    for (Entry e : entries) {
      if (e.method.equals(method) && Arrays.equals(e.segments, best)) {
        return "/" + String.join("/", e.segments);
      }
    }
    return null;
  }

  /** Every route as {@code METHOD /pattern}, in the order of registration (the isolation test). */
  List<String> routes() {
    return entries.stream().map(e -> e.method + " /" + String.join("/", e.segments)).toList();
  }

  /** The methods this path answers (the {@code Allow} header of a 405); empty when none. */
  List<String> methods(String path) {
    String[] best = pattern(split(path));
    return entries.stream()
        .filter(e -> Arrays.equals(e.segments, best))
        .map(Entry::method)
        .distinct()
        .toList();
  }

  /** The most literal pattern matching the path; null when none does. */
  private String[] pattern(String[] parts) {
    String[] best = null;
    for (Entry e : entries) {
      if (match(e.segments, parts) != null && (best == null || moreLiteral(e.segments, best))) {
        best = e.segments;
      }
    }
    return best;
  }

  /** Whether {@code a} has a literal segment where {@code b}, of the same length, first differs. */
  private static boolean moreLiteral(String[] a, String[] b) {
    for (int i = 0; i < a.length; i++) {
      if (isPlaceholder(a[i]) != isPlaceholder(b[i])) {
        return !isPlaceholder(a[i]);
      }
    }
    return false;
  }

  private static boolean isPlaceholder(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static Map<String, String> match(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (isPlaceholder(p)) {
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  /** A pattern's segments, or a raw request path's, decoded ({@link EncodedPath}). */
  private static String[] split(String path) {
    return EncodedPath.segments(path).toArray(String[]::new);
  }
}
