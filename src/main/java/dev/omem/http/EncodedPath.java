package dev.omem.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request path as the routes see it: each segment percent-decoded, and a slash encoded as {@code
 * %2F} splitting it like a bare one, so that ourmem's clients, which encode a space id's slash
 * ({@code team%2F<uuid>}), reach the same route as a client that sends it bare (issue 17). Jetty
 * lets such paths through ({@link OmemHttpServer}); {@link #refused} keeps them to the REST routes
 * and without dot segments, so an encoded {@code ..} can never move a request to another servlet
 * than the one the gate authenticated it for.
 */
final class EncodedPath {
  private EncodedPath() {}

  /** The decoded segments of a raw request path (empty segments dropped). */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      for (String s : decode(raw).split("/")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /**
   * Why a raw path with an encoded slash is refused; null when it is fine. Only {@code /v1/} paths
   * may encode a slash, and then no decoded segment may be {@code .} or {@code ..}.
   */
  static String refused(String rawPath) {
    if (!rawPath.toLowerCase(Locale.ROOT).contains("%2f")) {
      return null;
    }
    if (!rawPath.startsWith("/v1/")) {
      return "an encoded slash (%2F) is allowed in /v1/ paths only";
    }
    for (String s : segments(rawPath)) {
      if (s.equals(".") || s.equals("..")) {
        return "a path with an encoded slash may not have a . or .. segment";
      }
    }
    return null;
  }

  /** Percent-decoding of a path segment: a '+' stays a '+' (it means a space in forms only). */
  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment; // a malformed escape: Jetty refuses those before a route sees them
    }
  }
}
