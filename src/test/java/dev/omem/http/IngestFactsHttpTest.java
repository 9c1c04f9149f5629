package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.ingest.PrivacyCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code facts} extension of the ingest route: facts the caller already extracted (the thin
 * client sends those of the MCP client's own model) are stored in place of the server's extraction,
 * checked and redacted like any other input. Bad facts are in {@link BadRequestCases}.
 */
class IngestFactsHttpTest extends OneServerPerClass {
  /** What the local rules extract from the conversation below; the given facts replace it. */
  private static final String STATED =
      "We deploy the billing service with ArgoCD every Tuesday morning";

  @Test
  void givenFactsAreStoredInsteadOfTheServersExtraction() {
    HttpFixture.Tenant t = http.newTenant("given");
    String secret =
        PrivacyCorpus.secrets().stream()
            .filter(s -> s.kind().equals("anthropic_key"))
            .findFirst()
            .orElseThrow()
            .secret();
    String body =
        HttpFixture.json(
            Map.of(
                "messages",
                List.of(Map.of("role", "user", "content", STATED)),
                "facts",
                List.of(
                    Map.of(
                        "text",
                        "Billing ships through ArgoCD once a week, on Tuesdays",
                        "category",
                        "patterns",
                        "tags",
                        List.of("deploy", "billing"),
                        "importance",
                        0.8,
                        "confidence",
                        0.9),
                    Map.of("text", "The deploy bot's key is " + secret, "category", "entities"))));
    JsonNode r = http.post("/v1/memories", t.key(), body).expect(202);
    assertEquals(1, r.path("stored_count").asInt(), "the messages are logged as usual: " + r);
    JsonNode task = http.finishedTask(t.key(), r.path("task_id").asText());
    assertEquals(2, task.path("created").asInt(), task.toString());

    Map<String, JsonNode> stored = http.snapshot(t.key());
    List<String> contents = new ArrayList<>();
    stored.values().forEach(m -> contents.add(m.path("content").asText()));
    assertFalse(contents.contains(STATED), "the server did not extract itself: " + contents);
    JsonNode weekly =
        stored.values().stream()
            .filter(m -> m.path("content").asText().startsWith("Billing ships"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the given fact is missing: " + contents));
    assertEquals("patterns", weekly.path("category").asText());
    assertEquals(List.of("deploy", "billing"), texts(weekly.path("tags")));
    assertEquals(0.8, weekly.path("importance").asDouble());
    assertEquals("insight", weekly.path("memory_type").asText());
    String key =
        stored.values().stream()
            .map(m -> m.path("content").asText())
            .filter(c -> c.startsWith("The deploy bot"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the fact with a secret is missing: " + contents));
    assertFalse(key.contains(secret), key);
    assertTrue(key.contains("[REDACTED:anthropic_key]"), key);
  }

  @Test
  void anEmptyListOfFactsStoresNothing() {
    HttpFixture.Tenant t = http.newTenant("empty");
    String body =
        HttpFixture.json(
            Map.of(
                "messages",
                List.of(Map.of("role", "user", "content", STATED)),
                "facts",
                List.of()));
    JsonNode r = http.post("/v1/memories", t.key(), body).expect(202);
    JsonNode task = http.finishedTask(t.key(), r.path("task_id").asText());
    assertEquals(0, task.path("created").asInt(), task.toString());
    assertEquals(Map.of(), http.snapshot(t.key()), "the caller's model found nothing to keep");
  }

  @Test
  void aBadFactIsNamedByItsIndex() {
    HttpFixture.Tenant t = http.newTenant("bad");
    String body =
        "{\"messages\": ["
            + BadRequestCases.user(STATED)
            + "], \"facts\": ["
            + BadRequestCases.fact("\"Billing ships on Tuesdays\"", "\"patterns\"")
            + ", "
            + BadRequestCases.fact("\"Billing ships weekly\"", "\"gossip\"")
            + "]}";
    Res r = http.post("/v1/memories", t.key(), body);
    r.expectError(400, "validation_error");
    String message = r.json().path("error").path("message").asText();
    assertTrue(message.startsWith("facts[1]: ") && message.contains("gossip"), message);
    assertEquals(Map.of(), http.snapshot(t.key()));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
