package dev.omem.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClassDataArchiveTest {
  /**
   * The daemon's default flags, as this JVM takes them: every one accepted (a misspelt flag stops
   * the daemon from starting), C1 only (an empty store), G1 with a 128 MiB heap and a periodic
   * collection after 15 s of quiet (BENCHMARKS.md, session 14). What once needed more (an export,
   * an import, unpacking the natives) streams or fits: ExportStreamingIT runs a daemon of 64 MiB,
   * ImportStreamingIT one of 96, PackedNativeSmallHeapTest unpacks in 48 MiB; a smaller cap must
   * fail here first.
   */
  @Test
  void theDaemonsDefaultFlagsAreTakenByTheJvm(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DaemonLauncher.java()));
    cmd.addAll(DaemonJit.options(home));
    cmd.addAll(ClassDataArchive.DAEMON_MEMORY);
    cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals(128, flag(out, "MaxHeapSize") / (1024 * 1024));
    assertEquals(15000, flag(out, "G1PeriodicGCInterval"));
    assertEquals(1, flag(out, "TieredStopAtLevel")); // an empty store: C1 only on any Java
    assertEquals(true, out.matches("(?s).*\\bUseG1GC\\s+= true.*"));
  }

  private static long flag(String flags, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s+= (\\d+)").matcher(flags);
    assertEquals(true, m.find(), name + " not in the JVM's flags");
    return Long.parseLong(m.group(1));
  }

  /**
   * A daemon started with the vector flags must not map an archive dumped without them (Java 25
   * refuses part of it: the module options differ), so the two have different files.
   */
  @Test
  void theVectorFlagsHaveAnArchiveOfTheirOwn(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
    java.nio.file.Path c1 = ClassDataArchive.daemonArchive(home, DaemonJit.C1_ONLY);
    java.nio.file.Path vector = ClassDataArchive.daemonArchive(home, DaemonJit.vector(25));
    assertEquals(c1.getParent(), vector.getParent());
    assertEquals(false, c1.equals(vector));
    assertEquals(c1, ClassDataArchive.daemonArchive(home, DaemonJit.options(home)));
  }

  /**
   * The warm-up daemon's scratch store lives beside the archive in the private data dir, and what a
   * dead process left there (a half-written archive, a whole scratch store) is removed by the next
   * attempt, while a live process's stays: in the temp dir, every kill left a store behind.
   */
  @Test
  void aDeadProcesssScratchHomeIsRemovedAndALiveOnesKept(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws IOException {
    java.nio.file.Path target = ClassDataArchive.daemonArchive(home, DaemonJit.C1_ONLY);
    long dead = deadPid();
    java.nio.file.Path deadHome = ClassDataArchive.scratchHome(target, dead);
    java.nio.file.Path liveHome =
        ClassDataArchive.scratchHome(target, ProcessHandle.current().pid());
    assertEquals(target.getParent(), deadHome.getParent());
    java.nio.file.Files.createDirectories(deadHome.resolve("index"));
    java.nio.file.Files.writeString(deadHome.resolve("omem.db"), "x");
    java.nio.file.Files.writeString(deadHome.resolve("index").resolve("seg"), "x");
    java.nio.file.Files.createDirectories(liveHome);
    java.nio.file.Path deadArchive = target.resolveSibling(target.getFileName() + "." + dead);
    java.nio.file.Files.writeString(deadArchive, "x");

    ClassDataArchive.removeLeftovers(target);

    assertEquals(false, java.nio.file.Files.exists(deadHome), "a dead process's scratch home");
    assertEquals(false, java.nio.file.Files.exists(deadArchive), "a dead process's archive");
    assertEquals(true, java.nio.file.Files.isDirectory(liveHome), "a live process's scratch home");
  }

  /** The pid of a process that has exited. */
  private static long deadPid() throws IOException {
    Process p = new ProcessBuilder("true").start();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p.pid();
  }

  /** glibc's arenas capped for the daemon, unless the user set a value of their own. */
  @Test
  void theDaemonsEnvironmentCapsMallocArenasButKeepsTheUsersValue() {
    java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("HOME", "/h"));
    ClassDataArchive.addDaemonEnvironment(env);
    assertEquals("2", env.get("MALLOC_ARENA_MAX"));
    assertEquals("/h", env.get("HOME"));
    java.util.Map<String, String> own =
        new java.util.HashMap<>(java.util.Map.of("MALLOC_ARENA_MAX", "4"));
    ClassDataArchive.addDaemonEnvironment(own);
    assertEquals("4", own.get("MALLOC_ARENA_MAX"));
  }

  @Test
  void extraDaemonOptionsAreSplitOnAnyWhitespace() {
    assertEquals(
        List.of("-XX:StartFlightRecording=filename=d.jfr,settings=profile", "-Xmx192m"),
        ClassDataArchive.extraOptions(
            "  -XX:StartFlightRecording=filename=d.jfr,settings=profile \t -Xmx192m\n"));
  }

  @Test
  void noExtraDaemonOptionsWhenUnsetOrBlank() {
    assertEquals(List.of(), ClassDataArchive.extraOptions(null));
    assertEquals(List.of(), ClassDataArchive.extraOptions("   "));
  }
}
