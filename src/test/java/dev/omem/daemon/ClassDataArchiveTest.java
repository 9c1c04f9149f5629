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
   * the daemon from starting), C1 only, G1 with a 256 MiB heap and a periodic collection after a
   * minute of quiet. A 128 MiB heap ran out of memory at 10k memories (an export, and unpacking the
   * natives on a new data dir: BENCHMARKS.md, session 11), so a smaller cap must fail here first.
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
    assertEquals(256, flag(out, "MaxHeapSize") / (1024 * 1024));
    assertEquals(60000, flag(out, "G1PeriodicGCInterval"));
    assertEquals(1, flag(out, "TieredStopAtLevel"));
    assertEquals(true, out.matches("(?s).*\\bUseG1GC\\s+= true.*"));
  }

  private static long flag(String flags, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s+= (\\d+)").matcher(flags);
    assertEquals(true, m.find(), name + " not in the JVM's flags");
    return Long.parseLong(m.group(1));
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
