package dev.omem.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code omem serve --ourmem-only} ({@code OMEM_SERVE_EXTENSIONS=off}): the server answers as plain
 * ourmem would, so a client (omem's own remote hooks among them) can be shown to work with what
 * ourmem's dialect offers (issue 17). omem's extensions are switched off at the door:
 *
 * <ul>
 *   <li>routes: only ourmem's answer ({@code /health}, {@code /v1/tenants}, {@code /v1/memories…},
 *       {@code /v1/profile}, {@code /v1/stats…}, {@code /v1/imports…}, {@code /v1/spaces…}); the
 *       rest ({@code /v1/tasks}, {@code /v1/hooks}, {@code /v1/export}, {@code /v1/keys}, history,
 *       stale-info, {@code /mcp}, the UI, …) is a 404 {@code not_found} envelope;
 *   <li>request headers {@code Idempotency-Key}, {@code X-Omem-Project}, {@code X-Omem-Session} and
 *       query parameters {@code project}, {@code count_access} are dropped, as ourmem ignores them.
 * </ul>
 *
 * Answers keep omem's extra fields: ourmem's clients read the fields they know and skip the rest.
 */
final class OurmemOnlyFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** ourmem's routes (docs/rest-api.md, ../reference/ourmem-api.md). */
  private static final Pattern OURMEM_PATHS =
      Pattern.compile(
          "/health|/v1/tenants|/v1/profile|/v1/stats(/[^/]+)?|/v1/imports(/[^/]+(/rollback)?)?"
              + "|/v1/spaces(/.*)?|/v1/memories(/[^/]+(/[a-z-]+)?)?");

  /** Paths under {@code /v1/memories/{id}/} that are omem's, not ourmem's. */
  private static final Set<String> MEMORY_EXTENSIONS = Set.of("history", "stale-info");

  private static final Set<String> HEADERS =
      Set.of("idempotency-key", "x-omem-project", "x-omem-session");

  private static final Set<String> PARAMETERS = Set.of("project", "count_access");

  private final transient ObjectMapper json;

  OurmemOnlyFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getRequestURI();
    if (!ourmem(path)) {
      ApiError.notFound(req.getMethod(), path).write(resp, json);
      return;
    }
    chain.doFilter(new Plain(req), resp);
  }

  static boolean ourmem(String path) {
    if (!OURMEM_PATHS.matcher(path).matches()) {
      return false;
    }
    String[] parts = path.split("/");
    // /v1/memories/{id}/{action}: parts = "", v1, memories, id, action
    return !(path.startsWith("/v1/memories/")
        && parts.length == 5
        && MEMORY_EXTENSIONS.contains(parts[4]));
  }

  /** The request without omem's extension headers and parameters. */
  private static final class Plain extends HttpServletRequestWrapper {
    Plain(HttpServletRequest req) {
      super(req);
    }

    @Override
    public String getHeader(String name) {
      return dropped(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return dropped(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names =
          Collections.list(super.getHeaderNames()).stream()
              .filter(n -> !dropped(n))
              .collect(Collectors.toList());
      return Collections.enumeration(names);
    }

    @Override
    public String getQueryString() {
      String q = super.getQueryString();
      if (q == null) {
        return null;
      }
      String kept =
          java.util.Arrays.stream(q.split("&"))
              .filter(p -> !PARAMETERS.contains(p.split("=", 2)[0].toLowerCase(Locale.ROOT)))
              .collect(Collectors.joining("&"));
      return kept.isEmpty() ? null : kept;
    }

    private static boolean dropped(String header) {
      return HEADERS.contains(header.toLowerCase(Locale.ROOT));
    }
  }
}
