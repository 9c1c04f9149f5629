package dev.omem.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code <home>/backups/}: one snapshot per file, named by the time it was taken ({@code
 * omem-20261205T061500123Z.db}), so that names sort as times. The directory is 0700 and each file
 * 0600: a backup holds everything the store does.
 */
public final class Backups {
  public static final String DIR = "backups";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String PREFIX = "omem-";
  private static final String SUFFIX = ".db";

  private final Path dir;

  public Backups(Path home) {
    this.dir = home.resolve(DIR);
  }

  public Path dir() {
    return dir;
  }

  /** The directory, created 0700 if missing (and made 0700 if it was wider). */
  public Path ensureDir() {
    try {
      Files.createDirectories(dir);
      Owner.only(dir, "rwx------");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** A new file name for a backup taken at {@code at} (a later one if that name is taken). */
  public Path nameFor(Instant at) {
    Instant t = at;
    while (Files.exists(dir.resolve(PREFIX + STAMP.format(t) + SUFFIX))) {
      t = t.plusMillis(1);
    }
    return dir.resolve(PREFIX + STAMP.format(t) + SUFFIX);
  }

  /** The backups, oldest first. */
  public List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> takenAt(f).isPresent()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** When the newest backup was taken, if there is one. */
  public Optional<Instant> newest() {
    List<Path> all = list();
    return all.isEmpty() ? Optional.empty() : takenAt(all.get(all.size() - 1));
  }

  /** Deletes the oldest backups beyond {@code keep}; returns the deleted files. */
  public List<Path> rotate(int keep) {
    List<Path> all = list();
    List<Path> deleted = new ArrayList<>();
    for (int i = 0; i < all.size() - keep; i++) {
      try {
        Files.deleteIfExists(all.get(i));
        deleted.add(all.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the old backup " + all.get(i), e);
      }
    }
    return deleted;
  }

  /** The time in a backup's name, or empty for a file that is not one of ours. */
  static Optional<Instant> takenAt(Path f) {
    String n = f.getFileName().toString();
    if (!n.startsWith(PREFIX) || !n.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Instant.from(STAMP.parse(n.substring(PREFIX.length(), n.length() - SUFFIX.length()))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** POSIX permissions where the file system has them (not on Windows). */
  public static final class Owner {
    private Owner() {}

    public static void only(Path p, String perms) throws IOException {
      try {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
      } catch (UnsupportedOperationException e) {
        // no POSIX permissions here: the user's profile directory protects it
      }
    }
  }
}
