package dev.omem.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.BuildInfo;
import dev.omem.config.HomePermissions;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <data dir>/daemon.json}: where the running local daemon listens and the token that
 * authenticates to it (DESIGN.md decision 2). Mode 0600: the token is the key to the local store.
 *
 * @param built the daemon's {@link BuildInfo#built()}, so a newer jar can replace it
 */
public record DaemonFile(long pid, int port, String token, String version, String built) {
  static final String NAME = "daemon.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public static Path path(Path home) {
    return home.resolve(NAME);
  }

  public BuildInfo build() {
    return new BuildInfo(version, built);
  }

  /** The daemon's file, if there is one and it is readable (a half-written one is not). */
  public static Optional<DaemonFile> read(Path home) {
    try {
      JsonNode j = JSON.readTree(Files.readAllBytes(path(home)));
      return Optional.of(
          new DaemonFile(
              j.path("pid").asLong(),
              j.path("port").asInt(),
              j.path("token").asText(),
              j.path("version").asText("dev"),
              j.path("built").asText("0")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes the file atomically, readable and writable by its owner only. */
  public void write(Path home) throws IOException {
    HomePermissions.createPrivateDir(home);
    Path tmp = home.resolve(NAME + "." + pid + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.writeString(tmp, "");
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("pid", pid);
    j.put("port", port);
    j.put("token", token);
    j.put("version", version);
    j.put("built", built);
    Files.write(tmp, JSON.writeValueAsBytes(j));
    try {
      Files.move(tmp, path(home), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, path(home), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes the file if it still names this daemon (a newer one may have replaced it). */
  public void removeIfOurs(Path home) {
    if (read(home).map(f -> f.pid == pid).orElse(false)) {
      try {
        Files.deleteIfExists(path(home));
      } catch (IOException e) {
        // Left behind, it is recognised as stale by its dead pid.
      }
    }
  }
}
