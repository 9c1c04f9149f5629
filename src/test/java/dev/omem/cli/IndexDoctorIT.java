package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem doctor} on a damaged index, as a person runs it (the built jar, the store
 * in-process): it names the damaged file and what is wrong, rebuilds the index, exits 1 without a
 * stack trace; the next run finds it whole and exits 0, and every memory is still found.
 */
class IndexDoctorIT {
  static final String JAR = BuiltJar.path().toString();

  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  Run omem(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
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
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "omem " + String.join(" ", args) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void doctorNamesTheDamagedFileRebuildsTheIndexAndExitsOneWithoutAStackTrace() throws Exception {
    List<String> facts =
        List.of(
            "Deploys go through ArgoCD on the prod cluster",
            "The staging database is Postgres 15",
            "Alice owns the billing service");
    for (String f : facts) {
      Run stored = omem("store", f);
      assertEquals(0, stored.code(), stored.err());
    }
    Path victim;
    try (Stream<Path> files = Files.list(home.resolve("index"))) {
      victim =
          files
              .filter(p -> p.getFileName().toString().endsWith(".vec"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(new byte[20]); // twenty bytes zeroed in the middle: header and footer intact
    }

    Run doctor = omem("doctor", "--json");
    assertEquals(1, doctor.code(), doctor.out() + doctor.err());
    assertFalse(doctor.err().contains("Exception"), doctor.err());
    assertFalse(doctor.err().contains("\tat "), doctor.err());
    JsonNode h = new ObjectMapper().readTree(doctor.out());
    assertEquals("damaged", h.get("index_check").asText(), doctor.out());
    String damage = h.get("index_damage").toString();
    assertTrue(damage.contains(victim.getFileName().toString()), damage);
    assertTrue(h.get("index_repair").asText().startsWith("rebuilt from the store"), doctor.out());
    assertEquals(3, h.get("index_documents").asInt(), doctor.out());

    Run again = omem("doctor");
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().matches("(?s).*index_check\\s+ok.*"), again.out());
    assertTrue(again.out().matches("(?s).*index_repair\\s+none needed.*"), again.out());

    Run found = omem("search", "--json", "--min-score", "0", facts.get(1));
    assertEquals(0, found.code(), found.err());
    assertEquals(
        facts.get(1),
        new ObjectMapper().readTree(found.out()).get("results").get(0).get("content").asText());
  }
}
