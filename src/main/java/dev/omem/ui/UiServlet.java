package dev.omem.ui;

import dev.omem.domain.OmemException;
import dev.omem.service.MemoryService;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI at {@code /ui/}: server-rendered pages over the same {@link MemoryService} the API
 * uses, as the signed-in user. It authenticates by its own session cookie (HttpOnly,
 * SameSite=Strict, path {@code /ui}), which the API never accepts; the API's gate lets {@code /ui}
 * through to here. Every answer carries {@link UiGuard#CSP}; every POST needs this origin and the
 * session's CSRF token.
 */
public final class UiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(UiServlet.class);

  /**
   * The session cookie's name, with the server's port: cookies do not tell ports apart, so the
   * local daemon's and a team server's on the same host keep separate sessions.
   */
  static String cookieName(HttpServletRequest req) {
    return "omem_ui_" + req.getLocalPort();
  }

  private final transient UiSessions sessions = new UiSessions(Clock.systemUTC());
  private final transient UiGuard guard;
  private final transient UiKeys keys;
  private final transient LoginPage login;
  private final transient SearchPage search;
  private final transient MemoryView memory;
  private final transient BrowsePage browse;
  private final transient ReviewPage review;
  private final transient HealthPage health;
  private final transient SpacesPage spaces;
  private final transient ImportsPage imports;
  private final transient StatsPage stats;

  /**
   * @param loopbackOnly the server is bound to loopback: only loopback Host names are answered
   * @param daemon the local daemon: sign-in is by {@code omem ui}'s link (the key form also takes
   *     the daemon's token)
   */
  public UiServlet(MemoryService service, UiKeys keys, boolean loopbackOnly, boolean daemon) {
    this.guard = new UiGuard(loopbackOnly);
    this.keys = keys;
    this.login = new LoginPage(daemon);
    this.search = new SearchPage(service);
    this.memory = new MemoryView(service);
    this.browse = new BrowsePage(service);
    this.review = new ReviewPage(service);
    this.health = new HealthPage(service);
    this.spaces = new SpacesPage(service);
    this.imports = new ImportsPage(service);
    this.stats = new StatsPage(service);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    UiGuard.secure(resp);
    if (!guard.hostAllowed(req)) {
      plain(resp, 421, "This server answers its UI on a loopback address only.");
      return;
    }
    String path = req.getRequestURI();
    String method = req.getMethod();
    boolean post = method.equals("POST");
    if (!post && !method.equals("GET") && !method.equals("HEAD")) {
      plain(resp, 405, "Method not allowed.");
      return;
    }
    if (path.equals("/") || path.equals("/ui") || path.equals("/ui/")) {
      redirect(resp, "/ui/search");
      return;
    }
    if (path.startsWith("/ui/static/")) {
      asset(path.substring("/ui/static/".length()), resp);
      return;
    }
    if (path.equals("/ui/login-link") && post) {
      loginLink(req, resp);
      return;
    }
    if (post && !guard.sameOrigin(req)) {
      plain(resp, 403, "Refused: this form was not sent from this server's own pages.");
      return;
    }
    if (path.equals("/ui/login")) {
      signIn(req, resp, post);
      return;
    }
    Optional<UiSessions.Session> session = sessions.touch(cookie(req));
    if (session.isEmpty()) {
      if (post) {
        plain(resp, 401, "Your session has ended; sign in again.");
      } else {
        redirect(resp, "/ui/login");
      }
      return;
    }
    UiRequest r = new UiRequest(req, resp, session.get());
    if (post && !UiSessions.same(csrfOf(req), session.get().csrf())) {
      plain(resp, 403, "Refused: the form's CSRF token is missing or wrong; reload the page.");
      return;
    }
    try {
      route(r, path, post);
    } catch (OmemException e) {
      int status = e.code().httpStatus();
      r.html(status, Layout.page(r, "Not done", null, null, Views.error(e.getMessage())));
    } catch (RuntimeException e) {
      LOG.warn("UI request {} {} failed", method, path, e);
      r.html(500, Layout.page(r, "Not done", null, null, Views.error("Internal error.")));
    }
  }

  private void route(UiRequest r, String path, boolean post) throws IOException {
    if (path.equals("/ui/logout") && post) {
      sessions.close(cookie(r.req()));
      r.resp()
          .addHeader(
              "Set-Cookie",
              cookieName(r.req()) + "=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict");
      redirect(r.resp(), "/ui/login?done=signed-out");
      return;
    }
    if (path.startsWith("/ui/memory/")) {
      memory.handle(r, path.substring("/ui/memory/".length()), post);
      return;
    }
    switch (path) {
      case "/ui/search" -> search.show(r);
      case "/ui/browse" -> browse.show(r);
      case "/ui/review" -> {
        if (post) {
          review.act(r);
        } else {
          review.show(r);
        }
      }
      case "/ui/health" -> health.show(r);
      case "/ui/stats" -> stats.show(r);
      case "/ui/spaces" -> spaces.handle(r, post);
      case "/ui/imports" -> imports.handle(r, post);
      case "/ui/imports/upload" -> imports.upload(r);
      case "/ui/imports/progress" -> imports.progress(r);
      default -> r.html(404, Layout.page(r, "Not found", null, null, Views.error("No such page.")));
    }
  }

  /**
   * {@code POST /ui/login-link} with {@code X-API-Key}: a one-time code for {@code omem ui}. The
   * header is one no cross-site page can send (it needs a CORS preflight this server never grants),
   * so the key holder alone gets a link.
   */
  private void loginLink(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String key = req.getHeader("X-API-Key");
    Optional<UiUser> user = key == null ? Optional.empty() : keys.signIn(key.trim());
    resp.setContentType("application/json;charset=utf-8");
    if (user.isEmpty()) {
      resp.setStatus(401);
      resp.getWriter()
          .write("{\"error\":{\"code\":\"unauthorized\",\"message\":\"unknown API key\"}}");
      return;
    }
    String code = sessions.issueCode(user.get());
    resp.getWriter().write("{\"path\":\"/ui/login?code=" + code + "\"}");
  }

  private void signIn(HttpServletRequest req, HttpServletResponse resp, boolean post)
      throws IOException {
    String code = req.getParameter("code");
    Optional<String> session = Optional.empty();
    if (!post && code != null) {
      if (UiGuard.crossSite(req)) {
        login.show(resp, 403, "A sign-in link only works when opened directly.");
        return;
      }
      session = sessions.redeem(code);
      if (session.isEmpty()) {
        login.show(
            resp, 401, "This sign-in link was used already or is too old; run omem ui again.");
        return;
      }
    } else if (post) {
      String key = req.getParameter("key");
      Optional<UiUser> user = key == null ? Optional.empty() : keys.signIn(key.trim());
      if (user.isEmpty()) {
        login.show(resp, 401, "That API key is not valid here.");
        return;
      }
      session = Optional.of(sessions.open(user.get()));
    } else {
      String done = req.getParameter("done");
      login.show(resp, 200, "signed-out".equals(done) ? "You are signed out." : null);
      return;
    }
    // The cookie carries the session; the address bar keeps no secret (303 to a plain page).
    String secure = req.isSecure() ? "; Secure" : "";
    resp.addHeader(
        "Set-Cookie",
        cookieName(req) + "=" + session.get() + "; Path=/ui; HttpOnly; SameSite=Strict" + secure);
    redirect(resp, "/ui/search");
  }

  private static String csrfOf(HttpServletRequest req) {
    String h = req.getHeader("X-CSRF-Token");
    return h != null ? h : req.getParameter("csrf");
  }

  private static String cookie(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (c.getName().equals(cookieName(req))) {
        return c.getValue();
      }
    }
    return null;
  }

  private static void asset(String name, HttpServletResponse resp) throws IOException {
    String type =
        switch (name) {
          case "ui.css" -> "text/css;charset=utf-8";
          case "ui.js" -> "text/javascript;charset=utf-8";
          default -> null;
        };
    if (type == null) {
      plain(resp, 404, "Not found.");
      return;
    }
    try (InputStream in = UiServlet.class.getResourceAsStream(name)) {
      if (in == null) {
        plain(resp, 404, "Not found.");
        return;
      }
      resp.setContentType(type);
      resp.setHeader("Cache-Control", "no-cache");
      in.transferTo(resp.getOutputStream());
    }
  }

  private static void redirect(HttpServletResponse resp, String location) {
    resp.setStatus(303);
    resp.setHeader("Location", location);
  }

  private static void plain(HttpServletResponse resp, int status, String message)
      throws IOException {
    resp.setStatus(status);
    resp.setContentType("text/plain;charset=utf-8");
    resp.getWriter().write(message + "\n");
  }
}
