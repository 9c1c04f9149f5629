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
   * the daemon from starting), C1 only, G1 with a 128 MiB heap and a periodic collection after 15 s
   * of quiet (BENCHMARKS.md, session 14). What once needed more (an export, an import, unpacking
   * the natives) streams or fits: ExportStreamingIT runs a daemon of 64 MiB, ImportStreamingIT one
   * of 96, PackedNativeSmallHeapTest unpacks in 48 MiB; a smaller cap must fail here first.
   */
  @Test
  void theDaemonsDefaultFlagsAreTakenByTheJvm() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DaemonLauncher.java()));
    cmd.addAll(ClassDataArchive.DAEMON_JIT);
    cmd.addAll(ClassDataArchive.DAEMON_MEMORY);
    cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals(128, flag(out, "MaxHeapSize") / (1024 * 1024));
    assertEquals(15000, flag(out, "G1PeriodicGCInterval"));
    assertEquals(1, flag(out, "TieredStopAtLevel"));
    assertEquals(true, out.matches("(?s).*\\bUseG1GC\\s+= true.*"));
  }

  private static long flag(String flags, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s+= (\\d+)").matcher(flags);
    assertEquals(true, m.find(), name + " not in the JVM's flags");
    return Long.parseLong(m.group(1));
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
