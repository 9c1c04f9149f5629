package dev.omem.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Nothing in the data directory is readable by another local user: directories are 0700, data files
 * 0600, executables (the launcher, the hook script) 0700. New files are created so ({@link
 * #createPrivateFile}); a home made by an older omem, or files another tool created with the
 * default umask, are tightened when the store opens ({@link #tighten}), and {@code omem doctor}
 * reports what was loose ({@link #loose}).
 *
 * <p>Only omem's own entries are touched (the names below and everything under its directories):
 * {@code --home .} in a project must not change the project's files. A file system without POSIX
 * permissions (Windows) is left alone; its ACLs already follow the user profile.
 */
public final class HomePermissions {
  public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** omem's entries at the top of a home; the directories among them are walked whole. */
  private static final Set<String> OWN =
      Set.of(
          "omem.db",
          "omem.lock",
          "home.id",
          "index",
          "config.json",
          "cds",
          "backups",
          "queue",
          "lib",
          "bin",
          "hooks");

  private HomePermissions() {}

  /** True when the file system of {@code path} has POSIX permissions. */
  public static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} 0700 (and its missing parents with the default mode: a parent such as the
   * user's home is not omem's to change).
   */
  public static void createPrivateDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (posix(dir)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // created by another process meanwhile: tighten() takes care of its mode
    }
  }

  /** Creates {@code file} empty and 0600 when it does not exist yet (a log, the database). */
  public static void createPrivateFile(Path file) throws IOException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      if (posix(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // another process made it first
    }
  }

  /** The mode {@code path} should have: 0700 for a directory or an executable, else 0600. */
  private static Set<PosixFilePermission> wanted(Set<PosixFilePermission> now, boolean dir) {
    return dir || now.contains(PosixFilePermission.OWNER_EXECUTE) ? DIR : FILE;
  }

  /** True when group or others have any permission on it. */
  private static boolean open(Set<PosixFilePermission> p) {
    return p.stream().anyMatch(x -> !x.name().startsWith("OWNER_"));
  }

  /** omem's paths in {@code home} that group or others can read, write or enter. */
  public static List<Path> loose(Path home) {
    List<Path> out = new ArrayList<>();
    visit(home, (p, perms, dir) -> out.add(p));
    return out;
  }

  /**
   * Sets every loose path of omem's in {@code home} (the home itself included) to 0700 / 0600 and
   * returns how many were changed. A path that cannot be changed (another user's file) is skipped:
   * {@code doctor} still reports it.
   */
  public static int tighten(Path home) {
    int[] changed = {0};
    visit(
        home,
        (p, perms, dir) -> {
          try {
            Files.setPosixFilePermissions(p, wanted(perms, dir));
            changed[0]++;
          } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not ours to change; loose() keeps reporting it
          }
        });
    return changed[0];
  }

  private interface Visitor {
    void loose(Path path, Set<PosixFilePermission> perms, boolean dir);
  }

  private static void visit(Path home, Visitor v) {
    if (!Files.isDirectory(home) || !posix(home)) {
      return;
    }
    try {
      check(home, true, v);
      try (var entries = Files.list(home)) {
        for (Path p : entries.toList()) {
          String name = p.getFileName().toString();
          if (OWN.contains(name) || name.startsWith("omem.db") || name.startsWith("daemon.")) {
            walk(p, v);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + home, e);
    }
  }

  /** {@code root} and, for a directory, everything under it; symbolic links are not followed. */
  private static void walk(Path root, Visitor v) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
              throws IOException {
            check(dir, true, v);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
            if (a.isRegularFile()) {
              check(file, false, v);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // deleted meanwhile (a Lucene merge), or unreadable
          }
        });
  }

  private static void check(Path p, boolean dir, Visitor v) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      if (open(perms)) {
        v.loose(p, perms, dir);
      }
    } catch (IOException e) {
      // gone meanwhile
    }
  }
}
