package dev.omem.cli;

import dev.omem.config.HomePermissions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code omem doctor}'s permissions section: the paths of the data directory that other local users
 * could read, found before the store opens (opening it tightens them), and whether they are still
 * loose afterwards (files of another owner cannot be changed).
 */
final class DoctorPermissions {
  private final Path home;
  private final List<Path> before;

  private DoctorPermissions(Path home, List<Path> before) {
    this.home = home;
    this.before = before;
  }

  /** Looks before anything opens the store. */
  static DoctorPermissions check(Path home) {
    return new DoctorPermissions(home, HomePermissions.loose(home));
  }

  /** The line for the report; {@code ok} when nothing was or is loose. */
  String report() {
    if (before.isEmpty()) {
      return "ok (directories 0700, files 0600)";
    }
    List<Path> after = HomePermissions.loose(home);
    String first = describe(before.get(0));
    if (after.isEmpty()) {
      return "warning: "
          + before.size()
          + " path(s) were readable by other users (e.g. "
          + first
          + "); tightened to 0700/0600";
    }
    return "warning: "
        + after.size()
        + " path(s) are readable by other users and could not be changed (e.g. "
        + describe(after.get(0))
        + "): chmod go-rwx them";
  }

  /** True when something is still loose after the store opened. */
  boolean stillLoose() {
    return !before.isEmpty() && !HomePermissions.loose(home).isEmpty();
  }

  private String describe(Path p) {
    try {
      return home.relativize(p)
          + " "
          + PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    } catch (java.io.IOException e) {
      return home.relativize(p).toString();
    }
  }
}
