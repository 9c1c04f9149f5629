package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/hooks/{event}} on a real {@code omem serve} with the hooks wired as the daemon
 * wires them: the answer is exactly what the hook prints, only the daemon's token may call it, and
 * bad calls get the error envelope.
 */
class HookRoutesHttpTest {
  private static final String TOKEN = "omem_test-daemon-token";
  private static final String PROJECT = "github.com/acme/app";
  private static final String SESSION = "5d1e0c7a-0b44-4f0e-9e3a-1f2d3c4b5a69";

  @TempDir static Path tmp;
  static HttpFixture http;
  static Path cwd;

  @BeforeAll
  static void start() throws Exception {
    http =
        HttpFixture.startWithHooks(
            tmp.resolve("home"), HttpFixture.settings().withLocalToken(TOKEN));
    cwd = tmp.resolve("app");
    Files.createDirectories(cwd.resolve(".git"));
    Files.writeString(
        cwd.resolve(".git/config"), "[remote \"origin\"]\n\turl = git@github.com:acme/app.git\n");
    http.send(
            "POST",
            "/v1/memories",
            TOKEN,
            "{\"content\": \"Deploys of the app go through ArgoCD from main\"}",
            "X-Omem-Project",
            PROJECT)
        .expect(201);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  private static String input(String event, String... fields) {
    ObjectNode in = HttpFixture.JSON.createObjectNode();
    in.put("session_id", SESSION);
    in.put("cwd", cwd.toString());
    in.put("hook_event_name", event);
    in.put("transcript_path", tmp.resolve("none.jsonl").toString());
    for (int i = 0; i < fields.length; i += 2) {
      in.put(fields[i], fields[i + 1]);
    }
    return in.toString();
  }

  @Test
  void sessionStartAnswersWithTheHooksOutputFormat() {
    for (String path : List.of("/v1/hooks/SessionStart", "/v1/hooks/session-start")) {
      JsonNode j = http.post(path, TOKEN, input("SessionStart", "source", "startup")).expect(200);
      assertEquals(List.of("hookSpecificOutput"), names(j), j.toString());
      JsonNode out = j.get("hookSpecificOutput");
      assertEquals(List.of("hookEventName", "additionalContext"), names(out), j.toString());
      assertEquals("SessionStart", out.get("hookEventName").asText());
      String text = out.get("additionalContext").asText();
      assertTrue(text.startsWith("<omem-memories>") && text.endsWith("</omem-memories>"), text);
      assertTrue(text.contains("ArgoCD from main"), text);
    }
  }

  @Test
  void anUnrelatedPromptGetsExactlyAnEmptyObject() {
    Res r =
        http.post(
            "/v1/hooks/UserPromptSubmit",
            TOKEN,
            input("UserPromptSubmit", "prompt", "Write a haiku about autumn leaves"));
    r.expect(200);
    assertEquals("{}", r.body());
  }

  @Test
  void captureEventsAnswerAtOnceAndCaptureBehind() throws Exception {
    Path t = tmp.resolve("projects/-app/" + SESSION + ".jsonl");
    Files.createDirectories(t.getParent());
    String transcript;
    try (InputStream in = getClass().getResourceAsStream("/transcripts/session-basic.jsonl")) {
      transcript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(t, transcript);
    for (String event : List.of("Stop", "PreCompact", "SessionEnd")) {
      Res r = http.post("/v1/hooks/" + event, TOKEN, input(event, "transcript_path", t.toString()));
      r.expect(200);
      assertEquals("{}", r.body());
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<String> captured = List.of();
    while (System.nanoTime() < deadline) {
      List<String> now = new java.util.ArrayList<>();
      for (JsonNode m :
          http.get("/v1/memories?scope=all&limit=200", TOKEN).expect(200).path("memories")) {
        if (m.path("agent_id").asText().equals("claude-code")) {
          assertEquals(SESSION, m.path("session_id").asText());
          now.add(m.path("content").asText());
        }
      }
      captured = now;
      if (captured.size() >= 3) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(3, captured.size(), "the user's three statements, once: " + captured);
  }

  @Test
  void onlyTheDaemonsTokenMayCallHooks() throws IOException {
    http.post("/v1/hooks/SessionStart", null, input("SessionStart"))
        .expectError(401, "unauthorized");
    HttpFixture.Tenant t = http.newTenant("someone");
    http.post("/v1/hooks/Stop", t.key(), input("Stop", "transcript_path", "/etc/passwd.jsonl"))
        .expectError(401, "unauthorized");
  }

  @Test
  void badCallsGetTheErrorEnvelope() {
    http.post("/v1/hooks/Notification", TOKEN, "{}").expectError(404, "not_found");
    http.post("/v1/hooks/SessionStart", TOKEN, "not json").expectError(400, "validation_error");
    http.post("/v1/hooks/SessionStart", TOKEN, "[1]").expectError(400, "validation_error");
    Res r = http.get("/v1/hooks/Stop", TOKEN);
    r.expectError(405, "method_not_allowed");
    assertEquals("POST", r.header("Allow").orElse(""));
  }

  @Test
  void aServerWithoutHooksDoesNotKnowTheRoute(@TempDir Path other) throws Exception {
    try (HttpFixture plain =
        HttpFixture.start(other, HttpFixture.settings().withLocalToken(TOKEN))) {
      plain.post("/v1/hooks/Stop", TOKEN, input("Stop")).expectError(404, "not_found");
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
