package dev.omem.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What earlier omem versions (and killed processes) left in the temp directory: ONNX Runtime's
 * {@code onnxruntime-java*} folders (28.5 MB each on Linux) and sqlite-jdbc's {@code
 * sqlite-*-libsqlitejdbc.*} files with their {@code .lck}. A leftover is removed only when this
 * user owns it, it is older than {@link #MIN_AGE} (a process extracting right now is never
 * touched), and, where the system says so ({@code /proc/<pid>/maps} on Linux), no live process has
 * it mapped. Elsewhere a library in use cannot be deleted (Windows) or stays readable to the
 * process that mapped it (macOS), so removal is safe either way.
 */
public final class TempLitter {
  private static final Logger log = LoggerFactory.getLogger(TempLitter.class);

  /** Generous next to the second an extraction takes, so no live start-up loses its files. */
  static final Duration MIN_AGE = Duration.ofMinutes(10);

  private TempLitter() {}

  /** The JVM's temp directory. */
  public static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Whether {@code name} is one of the leftovers this class removes. */
  static boolean isLeftover(String name) {
    return name.startsWith("onnxruntime-java")
        || (name.startsWith("sqlite-") && name.contains("-libsqlitejdbc."))
        || (name.startsWith("sqlite-") && name.contains("-sqlitejdbc.dll"));
  }

  /**
   * Removes the leftovers in {@code tmp} that {@code me} owns (the owner of omem's home: this
   * user), older than {@link #MIN_AGE} at {@code now} and mapped by no live process; returns how
   * many entries it removed.
   */
  public static int sweep(Path tmp, UserPrincipal me, Instant now) {
    int removed = 0;
    try {
      Set<String> mapped = null;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, TempLitter::matches)) {
        for (Path entry : entries) {
          BasicFileAttributes a =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isSymbolicLink()
              || !me.equals(Files.getOwner(entry, NOFOLLOW))
              || a.lastModifiedTime().toInstant().plus(MIN_AGE).isAfter(now)) {
            continue;
          }
          if (mapped == null) {
            mapped = mappedFiles();
          }
          if (inUse(entry, mapped)) {
            continue;
          }
          deleteTree(entry);
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Temp directory sweep stopped: {}", e.toString());
    }
    if (removed > 0) {
      log.info("Removed {} native-library leftovers of earlier processes from {}", removed, tmp);
    }
    return removed;
  }

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private static boolean matches(Path p) {
    return isLeftover(p.getFileName().toString());
  }

  /** Whether {@code entry}, or a file under it, is in {@code mapped}. */
  private static boolean inUse(Path entry, Set<String> mapped) {
    String path = entry.toAbsolutePath().toString();
    for (String m : mapped) {
      if (m.equals(path) || m.startsWith(path + "/")) {
        return true;
      }
    }
    // sqlite-jdbc's lock file stands for its library
    return path.endsWith(".lck") && mapped.contains(path.substring(0, path.length() - 4));
  }

  /** Every file a live process maps (Linux); empty elsewhere or where /proc is not readable. */
  static Set<String> mappedFiles() {
    Set<String> files = new HashSet<>();
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return files;
    }
    try (Stream<Path> pids = Files.list(proc)) {
      pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              pid -> {
                try (Stream<String> lines = Files.lines(pid.resolve("maps"))) {
                  lines.forEach(
                      line -> {
                        int slash = line.indexOf('/');
                        if (slash > 0) {
                          String file = line.substring(slash);
                          files.add(
                              file.endsWith(" (deleted)")
                                  ? file.substring(0, file.length() - 10)
                                  : file);
                        }
                      });
                } catch (IOException | RuntimeException e) {
                  // another user's process, or gone: not ours to judge
                }
              });
    } catch (IOException e) {
      return files;
    }
    return files;
  }

  /** Deletes {@code root} and everything under it, as far as possible. */
  static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              quietDelete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              quietDelete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.debug("Cannot remove {}: {}", root, e.toString());
    }
  }

  private static void quietDelete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // in use (Windows) or not ours: left for a later sweep
    }
  }
}
