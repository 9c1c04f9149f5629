package dev.omem.cli;

import static dev.omem.cli.CliIT.assertOneLineError;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.remote.RemoteConfig;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem backup} and {@code omem restore} as a person runs them (the built jar, the store
 * in-process): a round trip, and bad input refused in one line with the store untouched.
 */
class BackupCliIT {
  static final String JAR = BuiltJar.path().toString();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path work;

  CliIT.Run omem(String... args) throws IOException, InterruptedException {
    return omem(Map.of(), args);
  }

  /** {@code omem args} with {@code env} added to the environment (the remote server unset). */
  CliIT.Run omem(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMEM_DAEMON", "off");
    pb.environment().remove("OMEM_API_URL");
    pb.environment().putAll(env);
    Process p =
        pb.directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "omem " + String.join(" ", args) + " hung");
    return new CliIT.Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  List<String> contents() throws Exception {
    CliIT.Run list = omem("list", "--json");
    assertEquals(0, list.code(), list.err());
    List<String> out = new ArrayList<>();
    JSON.readTree(list.out()).get("memories").forEach(m -> out.add(m.get("content").asText()));
    return out;
  }

  @Test
  void backupThenRestoreBringsTheStoreBackAndSearchFindsIt() throws Exception {
    assertEquals(0, omem("store", "Releases", "are", "cut", "from", "the", "trunk").code());
    CliIT.Run b = omem("backup", "--json");
    assertEquals(0, b.code(), b.err());
    Path file = Path.of(JSON.readTree(b.out()).get("path").asText());
    assertEquals(home.resolve("backups"), file.getParent());
    assertEquals("rwx------", perms(file.getParent()));
    assertEquals("rw-------", perms(file));

    Path named = work.resolve("mine.db");
    CliIT.Run b2 = omem("backup", named.toString());
    assertEquals(0, b2.code(), b2.err());
    assertTrue(b2.out().startsWith("Backed up the store to " + named), b2.out());
    assertEquals("rw-------", perms(named));
    assertOneLineError(omem("backup", named.toString()), "already exists");

    assertEquals(0, omem("store", "Staging", "runs", "on", "Nomad").code());
    assertEquals(2, contents().size());
    CliIT.Run r = omem("restore", named.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("Restored 1 memories from"), r.out());
    assertEquals(List.of("Releases are cut from the trunk"), contents());
    CliIT.Run found =
        omem("search", "--json", "--min-score", "0", "which branch do releases come from");
    assertEquals(0, found.code(), found.err());
    JsonNode results = JSON.readTree(found.out()).get("results");
    assertEquals("Releases are cut from the trunk", results.get(0).get("content").asText());
    CliIT.Run doctor = omem("doctor", "--json");
    assertEquals(1, JSON.readTree(doctor.out()).get("index_documents").asInt(), doctor.out());
  }

  @Test
  void badInputIsRefusedInOneLineAndTheStoreIsUntouched() throws Exception {
    assertOneLineError(omem("backup"), "no store in");
    assertEquals(0, omem("store", "The", "API", "gateway", "is", "Envoy").code());
    List<String> before = contents();

    assertOneLineError(omem("restore", work.resolve("missing.db").toString()), "no backup file");
    Path text = Files.writeString(work.resolve("notes.db"), "just some text, not a database\n");
    assertOneLineError(omem("restore", text.toString()), "not a SQLite database");
    Path foreign = work.resolve("foreign.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (x TEXT)");
    }
    assertOneLineError(omem("restore", foreign.toString()), "not an omem store");
    Path newer = work.resolve("newer.db");
    assertEquals(0, omem("backup", newer.toString()).code());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version=999");
    }
    assertOneLineError(omem("restore", newer.toString()), "newer than this omem");
    Path truncated = work.resolve("truncated.db");
    byte[] whole = Files.readAllBytes(home.resolve("backups").resolveSibling("omem.db"));
    Files.write(truncated, java.util.Arrays.copyOf(whole, 100));
    CliIT.Run t = omem("restore", truncated.toString());
    assertNotEquals(0, t.code());
    assertEquals(1, t.err().strip().lines().count(), t.err());

    assertEquals(before, contents(), "nothing stored was damaged");
    assertFalse(Files.exists(home.resolve("omem.db.restoring")), "no copy left behind");
    assertFalse(Files.exists(home.resolve("backups")), "no restore got as far as the swap");
  }

  @Test
  void localOnlyCommandsRefuseRemoteModeNamingTheServerAndBothVariables() throws Exception {
    assertEquals(0, omem("store", "The", "queue", "is", "RabbitMQ").code());
    List<String> before = contents();
    Path named = work.resolve("mine.db");
    assertEquals(0, omem("backup", named.toString()).code());
    Map<String, String> remote =
        Map.of(
            RemoteConfig.URL_VARIABLE, "https://omem.example:8080", RemoteConfig.KEY_VARIABLE, "k");
    for (String[] args :
        List.of(
            new String[] {"backup"},
            new String[] {"restore", named.toString()},
            new String[] {"reindex"})) {
      CliIT.Run r = omem(remote, args);
      assertOneLineError(r, "omem " + args[0] + " works on the local store only");
      assertTrue(r.err().contains("https://omem.example:8080"), r.err());
      assertTrue(
          r.err()
              .strip()
              .endsWith(
                  "unset "
                      + RemoteConfig.URL_VARIABLE
                      + " and "
                      + RemoteConfig.KEY_VARIABLE
                      + " to "
                      + args[0]
                      + " the local store"),
          r.err());
    }
    assertEquals(before, contents(), "nothing stored was touched");
    assertFalse(Files.exists(home.resolve("backups")), "no backup was written");
  }

  static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
