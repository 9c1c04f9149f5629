package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.llm.LlmSettings;
import dev.omem.testing.StandInAgentCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smart ingest with {@code "extractor": "agent-cli"} in config.json (what {@code omem install
 * --agent-extractor} writes): a real store and the shipped model, with a stand-in for the CLI. The
 * facts stored are the CLI's answer; a garbage answer loses nothing, the learned extractor takes
 * the turns.
 */
class AgentCliExtractionTest {
  static final String SAID =
      "Hi! Quick thing before we start: we always deploy the billing service with ArgoCD.";
  static final String MODEL_FACT = "The billing service is deployed with ArgoCD";

  @TempDir Path home;
  StandInAgentCli cli;
  LocalMemoryService svc;
  final Caller me = new Caller(null, "github.com/acme/alpha", "claude-code", "s-1");

  @BeforeEach
  void setUp() throws Exception {
    cli = new StandInAgentCli(home.resolve("cli"));
    Files.writeString(
        home.resolve("config.json"),
        "{\"extractor\":\"agent-cli\",\"agent_cli\":\"" + cli.command() + "\"}");
    svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL), Clock.systemUTC(), LlmSettings.none());
  }

  @AfterEach
  void close() {
    svc.close();
  }

  List<String> ingest(String said) {
    String id =
        svc.ingest(
                me,
                new IngestRequest(
                    List.of(
                        new IngestRequest.Message("user", said),
                        new IngestRequest.Message("assistant", "Noted.")),
                    "smart"))
            .taskId();
    IngestTask t = svc.awaitTask(me, id, Duration.ofSeconds(60));
    assertEquals("done", t.status(), t.toString());
    return svc
        .list(me, ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories()
        .stream()
        .map(Memory::content)
        .toList();
  }

  @Test
  void theCliAnswerIsWhatIsStored() throws Exception {
    cli.result(
        "{\"facts\":[{\"text\":\""
            + MODEL_FACT
            + "\",\"category\":\"patterns\",\"tags\":[\"deploy\"],\"importance\":0.8,"
            + "\"confidence\":0.95}]}",
        900,
        60);
    List<String> stored = ingest(SAID);
    assertEquals(List.of(MODEL_FACT), stored);
    assertEquals(1, cli.runs());
    assertTrue(cli.stdin().contains("ArgoCD"), "the turns were sent on stdin");
    assertEquals("off", cli.env().get("OMEM_HOOKS"));
  }

  @Test
  void aGarbageAnswerFallsBackToTheLearnedExtractorAndLosesNothing() throws Exception {
    cli.answer("Sure! Here are the facts: ArgoCD.\n");
    List<String> stored = ingest(SAID);
    assertEquals(2, cli.runs(), "one retry, then the fallback");
    assertFalse(stored.isEmpty(), "the learned extractor stored the fact");
    assertTrue(stored.stream().anyMatch(s -> s.contains("ArgoCD")), stored.toString());
    assertFalse(stored.contains(MODEL_FACT), stored.toString());
  }
}
