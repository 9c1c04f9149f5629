package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.llm.LlmProvider;
import dev.omem.testing.StandInLlm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest queue is durable: a process that stops (as a crash would) in the middle of queued
 * extractions resumes them when the store opens again, and no fact is stored twice. Extraction runs
 * through an LLM stand-in that speaks OpenAI's wire format and answers slowly, so the stop lands
 * while a request is in flight.
 */
class IngestQueueRestartTest {
  @TempDir Path home;
  final Caller me = new Caller(null, "github.com/acme/alpha", "claude-code", "s-1");
  StandInLlm llm = StandInLlm.start();
  LocalMemoryService svc;

  /** Each conversation's one user turn, and the fact the model answers for it. */
  static final Map<String, String> FACTS =
      Map.of(
          "deploys go through ArgoCD from the main branch",
          "Deploys go through ArgoCD from the main branch",
          "the staging database listens on port 5433",
          "The staging database listens on port 5433",
          "we always use Conventional Commits for commit messages",
          "We always use Conventional Commits for commit messages",
          "the mobile app is written in Kotlin Multiplatform",
          "The mobile app is written in Kotlin Multiplatform");

  @AfterEach
  void close() {
    if (svc != null) {
      svc.close();
    }
    llm.close();
  }

  StandInLlm.Reply answer(StandInLlm.Request r) {
    for (var e : FACTS.entrySet()) {
      if (r.user().contains(e.getKey())) {
        return StandInLlm.Reply.text(
            "{\"facts\":[{\"text\":\""
                + e.getValue()
                + "\",\"category\":\"patterns\",\"tags\":[],\"importance\":0.7,"
                + "\"confidence\":0.9}]}");
      }
    }
    return StandInLlm.Reply.text("{\"facts\":[]}");
  }

  LocalMemoryService open() {
    return LocalMemoryService.open(
        new OmemConfig(home, OmemConfig.DEFAULT_MODEL),
        Clock.systemUTC(),
        llm.settings(LlmProvider.OPENAI));
  }

  @Test
  void aStopMidQueueResumesOnOpenAndStoresEachFactOnce() throws Exception {
    llm.respondWith(r -> answer(r).after(Duration.ofMillis(1500)));
    svc = open();
    List<String> tasks = new ArrayList<>();
    for (String said : FACTS.keySet()) {
      tasks.add(
          svc.ingest(
                  me,
                  new IngestRequest(
                      List.of(
                          new IngestRequest.Message("user", "Remember that " + said + "."),
                          new IngestRequest.Message("assistant", "Noted.")),
                      "smart"))
              .taskId());
    }
    // Let the first answer arrive and the second request start, then stop hard.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (llm.requestCount() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(llm.requestCount() >= 2, "extraction started");
    svc.simulateCrash();
    svc = null;
    int before = llm.requestCount();

    llm.respondWith(this::answer);
    svc = open();
    for (String id : tasks) {
      IngestTask t = svc.awaitTask(me, id, Duration.ofSeconds(60));
      assertEquals("done", t.status(), t.toString());
      assertEquals(1, t.steps().size(), t.toString());
    }
    assertTrue(
        llm.requestCount() - before <= FACTS.size() - 1,
        "a task whose facts were saved before the stop is not sent again");
    Map<String, Integer> stored = new TreeMap<>();
    for (Memory m :
        svc.list(me, ListRequest.builder().limit(200).offset(0).scope("all").build()).memories()) {
      stored.merge(m.content(), 1, Integer::sum);
    }
    Map<String, Integer> expected = new TreeMap<>();
    FACTS.values().forEach(f -> expected.put(f, 1));
    assertEquals(expected, stored, "every fact once, none twice");
  }
}
