package dev.omem.store;

import dev.omem.config.HomePermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which home a store is: a random id made once and the canonical path of the home it was made in,
 * both kept in the store's {@code meta} table, and the id also in {@code <home>/home.id} so a
 * client can read it without the store's lock. A daemon reports both; a client accepts a daemon
 * only when both are its own home's. A copied home ({@code cp -a X Y}) keeps X's id until its own
 * store opens: the path tells it apart at once, and the store then takes a new id because its
 * recorded path is not where it now lives.
 *
 * @param id the home's id
 * @param home the canonical path of the home
 */
public record HomeIdentity(String id, String home) {
  static final String FILE = "home.id";

  /**
   * Reads (or, the first time or in a copied home, makes) the identity of the store in {@code
   * home}.
   */
  public static HomeIdentity establish(MetaStore meta, Path home) {
    String path = canonical(home);
    String id = meta.meta("home_id").orElse(null);
    HomeIdentity identity;
    if (id != null && path.equals(meta.meta("home_path").orElse(null))) {
      identity = new HomeIdentity(id, path);
    } else {
      identity = new HomeIdentity(UUID.randomUUID().toString(), path);
      meta.putAllMeta(Map.of("home_id", identity.id(), "home_path", path)); // one transaction
    }
    identity.writeFile(home);
    return identity;
  }

  /** {@code <home>/home.id} again when it is missing or names another id (a daemon keeps it). */
  public void writeFile(Path home) {
    if (readFile(home).filter(id::equals).isPresent()) {
      return;
    }
    Path tmp = home.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      HomePermissions.createPrivateFile(tmp); // 0600 before the id is in it
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, home.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The path check still tells a copied home apart; the id is a second guard.
    }
  }

  /** The id in {@code <home>/home.id}, if it is there. */
  public static Optional<String> readFile(Path home) {
    try {
      String s = Files.readString(home.resolve(FILE), StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The home's real path (symlinks resolved), or its absolute path when it does not exist. */
  public static String canonical(Path home) {
    try {
      return home.toRealPath().toString();
    } catch (IOException e) {
      return home.toAbsolutePath().normalize().toString();
    }
  }
}
