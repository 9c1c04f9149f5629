package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem confirm ID} with the built jar (issue 14): a fact extracted from an imported
 * conversation is a candidate until confirmed; a bad id exits non-zero with one line on stderr.
 */
class ConfirmCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  /** The built jar in a child process, the store in-process (as {@code CliIT} runs it). */
  Run omem(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", CliIT.JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMEM_DAEMON", "off");
    Process p =
        pb.directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "omem " + String.join(" ", args) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void confirmTurnsACandidateIntoAConfirmedMemory() throws Exception {
    Path session = work.resolve("session.json");
    Files.writeString(
        session,
        "[{\"role\": \"user\", \"content\": \"Our staging database runs Postgres 16 on port 5433,"
            + " not the default port.\"}, {\"role\": \"assistant\", \"content\": \"Noted.\"}]");
    Run imported = omem("import", session.toString());
    assertEquals(0, imported.code(), imported.err());

    JsonNode list = JSON.readTree(omem("list", "--json").out()).get("memories");
    assertEquals(1, list.size(), list.toString());
    JsonNode candidate = list.get(0);
    assertFalse(candidate.get("confirmed").asBoolean(), candidate.toString());
    String id = candidate.get("id").asText();
    assertTrue(omem("list").out().contains("unconfirmed"), "the plain listing says so");

    Run confirmed = omem("confirm", id, "--json");
    assertEquals(0, confirmed.code(), confirmed.err());
    assertTrue(JSON.readTree(confirmed.out()).get("confirmed").asBoolean(), confirmed.out());
    assertTrue(
        JSON.readTree(omem("list", "--json").out())
            .get("memories")
            .get(0)
            .get("confirmed")
            .asBoolean());

    Run bad = omem("confirm", "not-a-memory-id");
    assertNotEquals(0, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }
}
