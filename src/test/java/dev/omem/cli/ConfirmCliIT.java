package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    // A candidate, made the way a user moves one between stores: an omem export keeps each
    // memory's confirmation, and its import restores it as it was.
    Run stored = omem("store", "--json", "Staging runs Postgres 16 on port 5433");
    assertEquals(0, stored.code(), stored.err());
    String id = JSON.readTree(stored.out()).get("id").asText();
    Run export = omem("export");
    assertEquals(0, export.code(), export.err());
    ObjectNode file = (ObjectNode) JSON.readTree(export.out());
    ((ObjectNode) file.get("memories").get(0)).put("confirmed", false);
    Path candidateFile = work.resolve("candidate.json");
    Files.writeString(candidateFile, file.toString());
    Run imported = omem("import", "--force", candidateFile.toString());
    assertEquals(0, imported.code(), imported.err());
    JsonNode again = JSON.readTree(omem("list", "--json").out()).get("memories").get(0);
    assertFalse(again.get("confirmed").asBoolean(), again.toString());
    assertTrue(omem("list").out().contains("unconfirmed"), "the plain listing says so");

    Run confirmed = omem("confirm", id, "--json");
    assertEquals(0, confirmed.code(), confirmed.err());
    assertTrue(JSON.readTree(confirmed.out()).get("confirmed").asBoolean(), confirmed.out());

    Run bad = omem("confirm", "not-a-memory-id");
    assertNotEquals(0, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }
}
