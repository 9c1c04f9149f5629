package dev.omem.ui;

import dev.omem.service.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One signed-in request: the servlet's request and response, the session, and the caller. */
record UiRequest(HttpServletRequest req, HttpServletResponse resp, UiSessions.Session session) {
  /** The UI acts as its user, under its own agent name (history shows who edited). */
  static final String AGENT = "omem-ui";

  Caller caller() {
    return new Caller(session.user().tenantId(), null, AGENT, null);
  }

  String csrf() {
    return session.csrf();
  }

  /** A request parameter, trimmed; null when absent or blank. */
  String param(String name) {
    String v = req.getParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** A parameter as typed (a memory's content keeps its spaces). */
  String rawParam(String name) {
    return req.getParameter(name);
  }

  void html(int status, String page) throws IOException {
    resp.setStatus(status);
    resp.setContentType("text/html;charset=utf-8");
    byte[] b = page.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  void json(int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Post/redirect/get: 303 to a page of the UI. */
  void seeOther(String location) {
    resp.setStatus(303);
    resp.setHeader("Location", location);
  }
}
