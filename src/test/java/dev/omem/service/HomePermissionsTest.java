package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.HomePermissions;
import dev.omem.config.OmemConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing in a real home is readable by another local user: a new home, and one an older omem left
 * 755/644, after the store opened, stored (WAL, new Lucene segments) and closed.
 */
class HomePermissionsTest {
  @TempDir Path parent;
  private Path home;

  @BeforeEach
  void posixOnly() {
    org.junit.jupiter.api.Assumptions.assumeTrue(HomePermissions.posix(parent));
    home = parent.resolve("omem-home");
  }

  private void useTheStore(int n) {
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"))) {
      for (int i = 0; i < n; i++) {
        s.store(Caller.local(null), StoreRequest.of("Permissions note " + i + " about the build"));
      }
      s.reindex(); // writes a fresh set of Lucene files after the open
      assertEquals(List.of(), modes(home), "while the store is open");
    }
  }

  /** Every path under the home whose mode is not 0700 / 0600 (but the user's notes.txt). */
  private static List<String> modes(Path home) {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.filter(p -> !p.endsWith("notes.txt")).toList()) {
        String mode =
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
        if (!mode.equals(want)) {
          bad.add(home.relativize(p) + " " + mode);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bad;
  }

  @Test
  void aNewHomeIsPrivateFromTheStart() {
    useTheStore(30);
    assertTrue(Files.exists(home.resolve("omem.db")));
    assertEquals(List.of(), modes(home));
    assertEquals(List.of(), HomePermissions.loose(home));
  }

  @Test
  void anOldHomeIsTightenedWhenTheStoreOpensAndOtherFilesAreLeftAlone() throws IOException {
    useTheStore(5);
    Path project = home.resolve("notes.txt"); // not omem's: --home may be any directory
    Files.writeString(project, "mine");
    Files.createDirectories(home.resolve("backups"));
    Files.writeString(home.resolve("backups/omem-1.db"), "x");
    Files.writeString(home.resolve("daemon.log"), "log");
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    List<Path> loose = HomePermissions.loose(home);
    assertTrue(loose.contains(home.resolve("omem.db")), loose.toString());
    assertTrue(loose.contains(home.resolve("backups/omem-1.db")), loose.toString());
    assertFalse(loose.contains(project), "only omem's paths are reported");

    useTheStore(5);

    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(project)));
    assertEquals(List.of(), modes(home));
  }
}
