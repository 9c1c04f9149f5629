package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem export} and {@code omem import} as a person runs them: the built jar in child
 * processes, with the store in-process and, in the second test, through the local daemon (the
 * remote client over the REST routes).
 */
class PortableCliIT {
  static final String JAR = BuiltJar.path().toString();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  Run omem(boolean daemon, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (!daemon) {
      pb.environment().put("OMEM_DAEMON", "off");
    }
    pb.environment().remove("OMEM_API_URL");
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
  void exportImportRoundTripAndBadInput() throws Exception {
    Files.writeString(
        work.resolve("CLAUDE.md"),
        "# Project\n\n## Style\n\n- Use four spaces, never tabs.\n- Keep methods short.\n");
    Run imported = omem(false, "import", "CLAUDE.md");
    assertEquals(0, imported.code(), imported.err());
    assertTrue(imported.out().contains("completed, 2 imported, 0 skipped"), imported.out());
    assertEquals("", imported.err(), "no progress when stderr is not a terminal");

    Run again = omem(false, "import", "CLAUDE.md", "--json");
    JsonNode rec = JSON.readTree(again.out());
    assertEquals(2, rec.path("skipped").asInt(), again.out());

    Run md = omem(false, "export", "--format", "markdown");
    assertEquals(0, md.code(), md.err());
    assertTrue(md.out().startsWith("# omem memories"), "stdout carries only the export");
    assertTrue(md.out().contains("- Use four spaces, never tabs."), md.out());

    Run toFile = omem(false, "export", "--out", "all.json");
    assertEquals(0, toFile.code(), toFile.err());
    ObjectNode exported = (ObjectNode) JSON.readTree(work.resolve("all.json").toFile());
    assertEquals(2, exported.path("memories").size());

    Run list = omem(false, "import", "--list", "--json");
    JsonNode imports = JSON.readTree(list.out());
    assertEquals(2, imports.size());
    String firstId = imports.get(1).path("id").asText();
    Run rolled = omem(false, "import", "--rollback", firstId);
    assertEquals(0, rolled.code(), rolled.err());
    assertTrue(rolled.out().contains("rolled_back"), rolled.out());
    Run twice = omem(false, "import", "--rollback", firstId);
    assertNotEquals(0, twice.code());
    assertEquals(1, twice.err().strip().lines().count(), twice.err());
    assertTrue(twice.err().contains("already rolled back"), twice.err());

    // The omem export of the first store restores into a second one as it was.
    Path other = work.resolve("other-home");
    Run restore = omemIn(other, "import", work.resolve("all.json").toString());
    assertEquals(0, restore.code(), restore.err());
    assertTrue(restore.out().contains("omem"), "the type is guessed from the content");
    Run reexport = omemIn(other, "export");
    ObjectNode second = (ObjectNode) JSON.readTree(reexport.out());
    exported.remove("exported_at");
    second.remove("exported_at");
    assertEquals(exported, second);

    Files.writeString(work.resolve("broken.json"), "[{\"content\": ");
    for (String[] bad :
        new String[][] {
          {"import", "missing.md"},
          {"import", "broken.json"},
          {"import", "CLAUDE.md", "--type", "pdf"},
          {"export", "--format", "pdf"},
          {"import"}
        }) {
      Run r = omem(false, bad);
      assertNotEquals(0, r.code(), String.join(" ", bad));
      assertEquals(1, r.err().strip().lines().count(), String.join(" ", bad) + ": " + r.err());
      assertTrue(r.err().startsWith("omem: "), r.err());
      assertEquals("", r.out());
    }
  }

  private Run omemIn(Path otherHome, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", otherHome.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("OMEM_DAEMON", "off");
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void throughTheDaemon() throws Exception {
    try {
      Files.writeString(
          work.resolve("facts.jsonl"),
          "{\"content\": \"The nightly backup runs at 02:00 UTC\"}\n"
              + "{\"content\": \"Backups are kept for 30 days\"}\n");
      Run imported = omem(true, "import", "facts.jsonl", "--json");
      assertEquals(0, imported.code(), imported.err());
      JsonNode rec = JSON.readTree(imported.out());
      assertEquals("completed", rec.path("status").asText(), imported.out());
      assertEquals(2, rec.path("imported").asInt());
      Run md = omem(true, "export", "--format", "markdown");
      assertEquals(0, md.code(), md.err());
      assertTrue(md.out().contains("- Backups are kept for 30 days"), md.out());
      Run rolled = omem(true, "import", "--rollback", rec.path("id").asText());
      assertEquals(0, rolled.code(), rolled.err());
      Run after = omem(true, "export", "--format", "omp");
      assertEquals(0, JSON.readTree(after.out()).path("memories").size(), after.out());
    } finally {
      omem(true, "daemon", "stop");
    }
  }
}
