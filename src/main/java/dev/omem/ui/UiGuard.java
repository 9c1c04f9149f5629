package dev.omem.ui;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The checks and headers every UI request gets. A server bound to loopback (the local daemon, and
 * {@code omem serve} by default) answers only a loopback Host name, so a page on another site whose
 * DNS name is rebound to 127.0.0.1 reaches nothing. A state-changing request must come from this
 * origin (its Origin header naming the Host), besides carrying the session's CSRF token.
 */
final class UiGuard {
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

  /**
   * No inline script or style anywhere: the pages load {@code /ui/static/ui.js} and {@code ui.css}
   * only, so text that slips into the markup still cannot run.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final boolean loopbackOnly;

  UiGuard(boolean loopbackOnly) {
    this.loopbackOnly = loopbackOnly;
  }

  /** Whether the Host header names this server as the UI may be reached. */
  boolean hostAllowed(HttpServletRequest req) {
    String host = req.getHeader("Host");
    if (host == null || host.isBlank()) {
      return false;
    }
    if (!loopbackOnly) {
      return true;
    }
    return LOOPBACK_NAMES.contains(hostName(host));
  }

  /**
   * Whether a state-changing request comes from a page of this origin: an Origin header (browsers
   * send one on every POST) naming the same host and port as the Host header, and no cross-site
   * fetch metadata.
   */
  boolean sameOrigin(HttpServletRequest req) {
    String site = req.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin")) {
      return false;
    }
    String origin = req.getHeader("Origin");
    String host = req.getHeader("Host");
    if (origin == null || host == null || origin.equals("null")) {
      return false;
    }
    try {
      URI o = URI.create(origin);
      String authority = o.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a top-level navigation came from another site (a login link must not). */
  static boolean crossSite(HttpServletRequest req) {
    return "cross-site".equals(req.getHeader("Sec-Fetch-Site"));
  }

  /** Headers on every UI answer. */
  static void secure(HttpServletResponse resp) {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" on the pages'
    // own form posts, which the origin check must refuse.
    resp.setHeader("Referrer-Policy", "same-origin");
    resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    resp.setHeader("Cache-Control", "no-store");
  }

  private static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
