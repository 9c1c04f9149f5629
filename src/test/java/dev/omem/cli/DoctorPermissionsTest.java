package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.HomePermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omem doctor}'s permissions line, on a real directory an older omem left readable. */
class DoctorPermissionsTest {
  @TempDir Path home;

  @Test
  void warnsAboutALooseHomeAndSaysItWasTightened() throws IOException {
    Assumptions.assumeTrue(HomePermissions.posix(home));
    Files.writeString(home.resolve("omem.db"), "db");
    Files.writeString(home.resolve("daemon.log"), "log");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        home.resolve("daemon.log"), PosixFilePermissions.fromString("rw-r--r--"));

    DoctorPermissions d = DoctorPermissions.check(home);
    HomePermissions.tighten(home); // what opening the store does
    String report = d.report();
    assertTrue(report.startsWith("warning: 3 path(s) were readable by other users"), report);
    assertTrue(report.contains("tightened"), report);
    assertFalse(d.stillLoose());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("daemon.log"))));

    assertTrue(DoctorPermissions.check(home).report().startsWith("ok"), "a tight home is ok");
  }
}
