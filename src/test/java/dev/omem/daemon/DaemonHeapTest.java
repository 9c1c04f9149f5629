package dev.omem.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonHeapTest {
  @Test
  void theFloorIsAddedUnlessTheUsersOptionsCapTheHeapBelowIt() {
    assertEquals(List.of("-Xms64m"), DaemonHeap.floor(List.of()));
    assertEquals(List.of("-Xms64m"), DaemonHeap.floor(List.of("-Xmx64m")));
    assertEquals(List.of("-Xms64m"), DaemonHeap.floor(List.of("-Xmx1g")));
    assertEquals(List.of("-Xms64m"), DaemonHeap.floor(List.of("-XX:MaxHeapSize=67108864")));
    assertEquals(List.of(), DaemonHeap.floor(List.of("-Xmx48m")));
    assertEquals(List.of(), DaemonHeap.floor(List.of("-Xmx48M")));
    assertEquals(List.of(), DaemonHeap.floor(List.of("-XX:MaxHeapSize=32m")));
    assertEquals(List.of(), DaemonHeap.floor(List.of("-Xmx65535k")));
    // The last cap is the JVM's.
    assertEquals(List.of(), DaemonHeap.floor(List.of("-Xmx1g", "-Xmx48m")));
    assertEquals(List.of("-Xms64m"), DaemonHeap.floor(List.of("-Xmx48m", "-Xmx96m")));
    // Not a cap: -Xmn, -Xms, a recording's options.
    assertEquals(
        List.of("-Xms64m"),
        DaemonHeap.floor(List.of("-Xmn8m", "-Xms16m", "-XX:StartFlightRecording=filename=x.jfr")));
  }

  @Test
  void sizesReadAsTheJvmReadsThem() {
    assertEquals(OptionalLong.of(67108864), DaemonHeap.bytes("64m"));
    assertEquals(OptionalLong.of(1L << 30), DaemonHeap.bytes("1G"));
    assertEquals(OptionalLong.of(2048), DaemonHeap.bytes("2k"));
    assertEquals(OptionalLong.of(123456789), DaemonHeap.bytes("123456789"));
    assertEquals(OptionalLong.of(0), DaemonHeap.bytes("lots"));
    assertEquals(OptionalLong.empty(), DaemonHeap.maxHeap(List.of("-Xms64m")));
  }

  /**
   * The daemon's defaults with the floor start a JVM with a 64 MiB minimum under the 128 MiB cap,
   * and a user's smaller cap (the tests' 48 MiB daemon) still starts one: with the floor kept it
   * would not ("Initial heap size set to a larger value than the maximum heap size").
   */
  @Test
  void theJvmTakesTheFloorAndAUsersSmallerCapStillStarts(@TempDir java.nio.file.Path home)
      throws IOException, InterruptedException {
    String flags = flags(home, List.of());
    assertEquals(64, flag(flags, "MinHeapSize") / (1024 * 1024));
    assertEquals(128, flag(flags, "MaxHeapSize") / (1024 * 1024));

    String small = flags(home, List.of("-Xmx48m"));
    assertEquals(48, flag(small, "MaxHeapSize") / (1024 * 1024));
    assertEquals(true, flag(small, "MinHeapSize") < 48L * 1024 * 1024);

    List<String> kept = new ArrayList<>(base(home));
    kept.add(DaemonHeap.FLOOR);
    kept.addAll(List.of("-Xmx48m", "-version"));
    Process p = new ProcessBuilder(kept).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(true, p.exitValue() != 0, "a floor above the cap must be refused by the JVM");
  }

  private static List<String> base(java.nio.file.Path home) {
    List<String> cmd = new ArrayList<>(List.of(DaemonLauncher.java()));
    cmd.addAll(DaemonJit.options(home));
    cmd.addAll(ClassDataArchive.DAEMON_MEMORY);
    return cmd;
  }

  private static String flags(java.nio.file.Path home, List<String> extra)
      throws IOException, InterruptedException {
    List<String> cmd = base(home);
    cmd.addAll(DaemonHeap.floor(extra));
    cmd.addAll(extra);
    cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static long flag(String flags, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s+= (\\d+)").matcher(flags);
    assertEquals(true, m.find(), name + " not in the JVM's flags");
    return Long.parseLong(m.group(1));
  }
}
