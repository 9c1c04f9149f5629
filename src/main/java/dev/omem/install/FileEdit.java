package dev.omem.install;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * One file {@code omem install} would write, the keys in it that change (each before and after),
 * and how to write it. Nothing is written while planning; {@link #apply()} writes the file
 * atomically (a temporary file in the same directory, then a move), into the real file when the
 * path is a symlink (dotfile managers link configs), keeping the old file's permissions.
 *
 * @param file the file
 * @param keys what changes in it; the file is written only when one of them changes
 * @param content writes the new content to a path
 * @param mode the permissions of a new file (POSIX), e.g. {@code rw-------}
 */
public record FileEdit(Path file, List<KeyChange> keys, Content content, String mode) {

  /** A key of a file (or a part of it, like the jar) before and after the edit. */
  public record KeyChange(String key, String before, String after) {
    public boolean changes() {
      return !before.equals(after);
    }
  }

  /** Writes the new content of the file to {@code target}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path target) throws IOException;
  }

  /** Mode of the configuration files omem creates: they may hold an API key. */
  public static final String CONFIG_MODE = "rw-------";

  /** Mode of the launcher and the hook script. */
  public static final String EXECUTABLE_MODE = "rwxr-xr-x";

  /** Mode of the jar. */
  public static final String FILE_MODE = "rw-r--r--";

  public boolean changes() {
    return keys.stream().anyMatch(KeyChange::changes);
  }

  /** Writes the file if a key changes. */
  public void apply() throws IOException {
    if (!changes()) {
      return;
    }
    Path target = file;
    if (Files.isSymbolicLink(file) && Files.exists(file)) {
      target = file.toRealPath();
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".omem-install.tmp");
    Files.deleteIfExists(tmp);
    try {
      content.writeTo(tmp);
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Set<PosixFilePermission> perms =
            Files.exists(target) && !EXECUTABLE_MODE.equals(mode)
                ? Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)
                : PosixFilePermissions.fromString(mode);
        Files.setPosixFilePermissions(tmp, perms);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
