package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.OmemConfig;
import dev.omem.service.Caller;
import dev.omem.service.ExportRequest;
import dev.omem.service.ImportProgress;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export through the daemon streams: a daemon whose heap (64 MiB) is far smaller than the file
 * (3,000 memories of 8,000 characters, in words the model reads as one token each, with their
 * vectors, ~35 MB of JSON) sends the whole of it, and {@code omem export} writes it to a file, byte
 * for byte the in-process export but for {@code exported_at}. Built as one string (session 11), the
 * daemon ran out of heap and the CLI gave up.
 */
class ExportStreamingIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MEMORIES = 3_000;
  static final int CHARS = 8_000;

  /**
   * The tokenizer's longest word (bge-small's {@code max_input_chars_per_word}); the memories'
   * words are longer, so it reads each as one unknown token and a memory costs ~70 tokens to embed,
   * not the model's 512. A restore embeds every memory's text (session 16, PoisonedRestoreTest):
   * with 512-token texts that took this test from 47 to 290 s and ImportStreamingIT from 56 to 314
   * s (session 17, BENCHMARKS.md), none of it about streaming. The file keeps its size, so the heap
   * bound is shown as before.
   */
  static final int LONGEST_WORD = 100;

  /** Glued into words of over {@link #LONGEST_WORD} letters. */
  static final String[] WORDS = {
    "deploy", "queue", "billing", "service", "retries", "cache", "staging", "postgres", "lucene",
    "worker", "timeout", "schema", "rollback", "canary", "tenant", "index", "latency", "batch"
  };

  @TempDir Path home;
  @TempDir Path work;

  @Test
  void anExportLargerThanTheDaemonsHeapArrivesWholeAndMatchesTheInProcessOne() throws Exception {
    Caller me = new Caller(null, null, "test", "s-1");
    Path inProcess = work.resolve("in-process.json");
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      s.awaitModel(java.time.Duration.ofMinutes(5));
      s.store(me, new StoreRequest("The template memory", null, null, "entities", null, null));
      ImportRecord r =
          s.importFile(
              me,
              new ImportRequest("omem", bigFile(s, me), "big.json", false, null, null),
              ImportProgress.NONE);
      assertEquals("completed", r.status(), r.toString());
      assertEquals(MEMORIES, r.imported(), r.toString());
      try (Writer w = Files.newBufferedWriter(inProcess, StandardCharsets.UTF_8)) {
        s.export(me, new ExportRequest("omem", null), w);
      }
    }
    assertTrue(Files.size(inProcess) > 30_000_000L, "the file is far larger than the heap");

    Path viaDaemon = work.resolve("daemon.json");
    try {
      CliIT.Run run = omem("export", "--out", viaDaemon.toString());
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains("as omem to"), run.out());
      assertEquals(
          0,
          omem("daemon", "status").code(),
          () -> "the export went through the daemon; its log:\n" + daemonLog());
      // The launcher caps glibc's malloc arenas in the daemon's environment (ClassDataArchive).
      long pid = dev.omem.daemon.DaemonFile.read(home).orElseThrow().pid();
      Path environ = Path.of("/proc", Long.toString(pid), "environ");
      if (Files.isReadable(environ)) {
        List<String> env = List.of(Files.readString(environ).split("\0"));
        assertTrue(env.contains("MALLOC_ARENA_MAX=2"), env.toString());
      }
    } finally {
      omem("daemon", "stop");
    }
    String expected = withoutExportedAt(inProcess);
    String actual = withoutExportedAt(viaDaemon);
    // Where they part, not both 35 MB files, in the failure message.
    assertTrue(
        expected.equals(actual),
        () -> "the exports differ from " + firstDifference(expected, actual));
    assertEquals(MEMORIES + 1, JSON.readTree(viaDaemon.toFile()).path("memories").size());
  }

  private String daemonLog() {
    try {
      Path log = home.resolve("daemon.log");
      return Files.exists(log) ? Files.readString(log) : "(none)";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    int from = Math.max(0, i - 80);
    return "character "
        + i
        + " (lengths "
        + a.length()
        + " and "
        + b.length()
        + "):\n"
        + a.substring(from, Math.min(a.length(), i + 80))
        + "\n---\n"
        + b.substring(from, Math.min(b.length(), i + 80));
  }

  /** The text of the file but for its {@code exported_at} line: the rest is the same bytes. */
  private static String withoutExportedAt(Path file) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.endsWith("}\n"), "the file is whole");
    return text.replaceFirst("\"exported_at\" : \"[^\"]*\"", "\"exported_at\" : \"\"");
  }

  /**
   * An omem file of {@link #MEMORIES} memories with long contents (words of over {@link
   * #LONGEST_WORD} letters) and vectors (random unit vectors of the model's size, under its name:
   * the restore embeds each text again all the same), made from the export of one memory stored for
   * real.
   */
  private static String bigFile(LocalMemoryService s, Caller me) throws IOException {
    return bigFile(s, me, MEMORIES);
  }

  /** The same with {@code count} memories (ImportStreamingIT). */
  static String bigFile(LocalMemoryService s, Caller me, int count) throws IOException {
    java.io.StringWriter one = new java.io.StringWriter();
    s.export(me, new ExportRequest("omem", null), one);
    ObjectNode file = (ObjectNode) JSON.readTree(one.toString());
    ObjectNode template = (ObjectNode) file.path("memories").get(0);
    int dims = Base64.getDecoder().decode(template.path("embedding").asText()).length / 4;
    Random random = new Random(19);
    ArrayNode out = JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      ObjectNode m = template.deepCopy();
      m.put("id", UUID.nameUUIDFromBytes(("m" + i).getBytes(StandardCharsets.UTF_8)).toString());
      StringBuilder text = new StringBuilder("Memory " + i + ":");
      while (text.length() < CHARS) {
        text.append(' ');
        int word = text.length();
        while (text.length() - word <= LONGEST_WORD) {
          text.append(WORDS[random.nextInt(WORDS.length)]);
        }
      }
      m.put("content", text.toString());
      m.put("embedding", vector(random, dims));
      out.add(m);
    }
    file.set("memories", out);
    return JSON.writeValueAsString(file);
  }

  private static String vector(Random random, int dims) {
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    ByteBuffer b = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat((float) (x / Math.sqrt(norm)));
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The CLI with the daemon allowed, whose daemon gets a 64 MiB heap. */
  CliIT.Run omem(String... args) throws IOException, InterruptedException {
    return CliIT.omemWithDaemon(
        home, work, java.util.Map.of("OMEM_DAEMON_JAVA_OPTS", "-Xmx64m"), 300, args);
  }
}
