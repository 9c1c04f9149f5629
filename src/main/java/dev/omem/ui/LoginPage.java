package dev.omem.ui;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sign-in: an API key typed into a form (a team server), which becomes a session cookie and is kept
 * nowhere in the browser; on the local daemon, {@code omem ui} signs in with a one-time link.
 */
final class LoginPage {
  private final boolean daemon;

  LoginPage(boolean daemon) {
    this.daemon = daemon;
  }

  void show(HttpServletResponse resp, int status, String message) throws IOException {
    Html h = new Html();
    if (message != null) {
      h.raw("<p class=\"").raw(status == 200 ? "notice" : "error").raw("\" role=\"alert\">");
      h.text(message).raw("</p>");
    }
    if (daemon) {
      h.raw("<p>This is your local omem. Run <code>omem ui</code> to open it signed in.</p>");
    }
    h.raw("<form method=\"post\" action=\"/ui/login\" class=\"login\">");
    h.raw("<label for=\"key\">API key</label> ");
    h.raw("<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required> ");
    h.raw("<button type=\"submit\">Sign in</button></form>");
    byte[] b = Layout.bare("Sign in", h.toString()).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("text/html;charset=utf-8");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }
}
