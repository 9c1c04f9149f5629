package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups with the local daemon: it backs up at start by itself, {@code omem backup} goes through
 * it (the daemon keeps the store), and {@code omem restore} stops it first.
 */
class BackupDaemonIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path work;

  CliIT.Run omem(String... args) throws IOException, InterruptedException {
    return CliIT.omemWithDaemon(home, work, java.util.Map.of(), 120, args);
  }

  List<Path> backups() throws IOException {
    Path dir = home.resolve("backups");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".db")).sorted().toList();
    }
  }

  @Test
  void theDaemonBacksUpAtStartServesBackupAndIsStoppedByRestore() throws Exception {
    try {
      CliIT.Run stored = omem("store", "Releases", "are", "cut", "from", "trunk");
      assertEquals(0, stored.code(), stored.err());
      long deadline = System.currentTimeMillis() + 60_000;
      while (backups().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(1, backups().size(), "the daemon backed up at start");

      CliIT.Run b = omem("backup", "--json");
      assertEquals(0, b.code(), b.err());
      Path file = Path.of(JSON.readTree(b.out()).get("path").asText());
      assertEquals(2, backups().size());
      assertTrue(backups().contains(file));
      assertEquals(0, omem("daemon", "status").code(), "the daemon kept running");

      assertEquals(0, omem("store", "Staging", "runs", "on", "Nomad").code());
      CliIT.Run r = omem("restore", file.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("Stopped the daemon"), r.out());
      CliIT.Run list = omem("list", "--json");
      assertEquals(0, list.code(), list.err());
      assertEquals(1, JSON.readTree(list.out()).get("total_count").asInt(), list.out());
    } finally {
      omem("daemon", "stop");
    }
  }
}
