package dev.omem.daemon;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The daemon's heap floor. With no floor G1 let a 10k-memory daemon's heap settle near its 21 MiB
 * live set in some runs, where old sat above the initiating occupancy and a concurrent cycle began
 * at one young collection in three: G1's threads took 2.5-4 ms of CPU a search. With a 64 MiB floor
 * it stayed in the cheap regime every time (BENCHMARKS.md, sessions 23 and 24).
 */
final class DaemonHeap {
  private DaemonHeap() {}

  /** The floor, in MiB: sessions 23 and 24's measured one. */
  static final long FLOOR_MIB = 64;

  static final String FLOOR = "-Xms" + FLOOR_MIB + "m";

  /**
   * The floor for a daemon started with these extra options (OMEM_DAEMON_JAVA_OPTS, which come
   * after it): none when they cap the heap below it, since the JVM refuses to start with an initial
   * heap above its maximum (the tests run 48 and 64 MiB daemons). An initial heap of their own wins
   * without help: the last of a flag is the one the JVM takes.
   */
  static List<String> floor(List<String> extra) {
    OptionalLong max = maxHeap(extra);
    return max.isPresent() && max.getAsLong() < FLOOR_MIB * 1024 * 1024
        ? List.of()
        : List.of(FLOOR);
  }

  /** The heap cap the last {@code -Xmx} or {@code -XX:MaxHeapSize=} of these options sets. */
  static OptionalLong maxHeap(List<String> options) {
    OptionalLong max = OptionalLong.empty();
    for (String o : options) {
      String size =
          o.startsWith("-Xmx")
              ? o.substring(4)
              : o.startsWith("-XX:MaxHeapSize=") ? o.substring(16) : null;
      if (size != null) {
        max = bytes(size);
      }
    }
    return max;
  }

  /**
   * A JVM size ({@code 48m}, {@code 1G}, {@code 67108864}) in bytes, or 0 when it is not one: the
   * JVM then refuses to start whatever the floor, and no floor keeps its message about the cap.
   */
  static OptionalLong bytes(String size) {
    String s = size.toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      return OptionalLong.of(0);
    }
    long unit =
        switch (s.charAt(s.length() - 1)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          case 't' -> 1L << 40;
          default -> 1;
        };
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    try {
      return OptionalLong.of(Math.multiplyExact(Long.parseLong(digits), unit));
    } catch (NumberFormatException | ArithmeticException e) {
      return OptionalLong.of(0);
    }
  }
}
