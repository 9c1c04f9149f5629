package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import through a fresh daemon of 96 MiB (below the shipped heap, ClassDataArchive), the file
 * arriving while the model loads: a ~35 MB omem file arrives whole, every memory with its id, and
 * the daemon's spooled copy is gone after. The CLI streams the file as the request's body, the
 * daemon copies it to its spool and reads it a memory at a time (OmemFileReader), so the heap does
 * not grow with the file. Sent as one JSON string (session 13), a 19 MB file ran out of a 128 MiB
 * heap, and a 35 MB one is over the JSON body's 32 MiB limit (BENCHMARKS.md).
 */
class ImportStreamingIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** About 35 MB of omem JSON: 8,000-character memories with their vectors. */
  static final int MEMORIES = 3_200;

  @TempDir Path home;
  @TempDir Path scratch;
  @TempDir Path work;

  @Test
  void aThirtyFiveMegabyteImportArrivesWholeThroughAFreshDaemonOf96MiB() throws Exception {
    Caller me = new Caller(null, null, "test", "s-1");
    String text;
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(scratch, OmemConfig.DEFAULT_MODEL))) {
      s.awaitModel(java.time.Duration.ofMinutes(5));
      s.store(me, new StoreRequest("The template memory", null, null, "entities", null, null));
      text = ExportStreamingIT.bigFile(s, me, MEMORIES);
    }
    assertTrue(text.length() > 34_000_000 && text.length() < 37_000_000, "" + text.length());
    Path file = work.resolve("big.json");
    Files.writeString(file, text);
    Set<String> ids = new TreeSet<>();
    JSON.readTree(text).path("memories").forEach(m -> ids.add(m.path("id").asText()));
    text = null;

    Path back = work.resolve("back.json");
    try {
      CliIT.Run run = omem("import", file.toString());
      assertEquals(0, run.code(), run.err() + "\n" + daemonLog());
      assertTrue(run.out().contains("completed, " + MEMORIES + " imported"), run.out());
      assertEquals(0, omem("daemon", "status").code(), "the import went through the daemon");
      assertEquals(0, omem("export", "--out", back.toString()).code());
      Path spool = home.resolve("cache").resolve("import-spool");
      if (Files.exists(spool)) {
        try (var left = Files.list(spool)) {
          assertEquals(List.of(), left.toList(), "the daemon's copy of the upload is removed");
        }
      }
    } finally {
      omem("daemon", "stop");
    }
    Set<String> got = new TreeSet<>();
    JSON.readTree(back.toFile()).path("memories").forEach(m -> got.add(m.path("id").asText()));
    assertEquals(ids, got);
    assertTrue(
        !daemonLog().contains("OutOfMemoryError"), "the daemon ran out of heap:\n" + daemonLog());
  }

  private String daemonLog() throws java.io.IOException {
    Path log = home.resolve("daemon.log");
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }

  CliIT.Run omem(String... args) throws java.io.IOException, InterruptedException {
    return CliIT.omemWithDaemon(home, work, Map.of("OMEM_DAEMON_JAVA_OPTS", "-Xmx96m"), 600, args);
  }
}
