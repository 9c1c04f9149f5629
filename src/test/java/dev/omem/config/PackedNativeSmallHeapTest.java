package dev.omem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The natives the build packed (src/build/PackNatives.java, in target/classes) unpack in a JVM with
 * a 48 MiB heap: each one, whole and with the CRC-32 the build recorded. Packed at xz preset 9 with
 * its 64 MiB dictionary, the decoder allocated the whole dictionary on the heap and a daemon with
 * -Xmx64m died unpacking (BENCHMARKS.md, session 12). The second child shows that such an array
 * does not fit in that heap, so the first passes only because the dictionaries are smaller.
 */
class PackedNativeSmallHeapTest {
  static final String HEAP = "-Xmx48m";

  @TempDir Path dir;

  @Test
  void everyPackedLibraryUnpacksInA48MiBHeap() throws Exception {
    Properties packed = new Properties();
    Path classes = Path.of("target", "classes");
    Path list = classes.resolve("omem-natives.properties");
    assumeTrue(Files.isRegularFile(list), "the build packed the natives (mvn package)");
    try (InputStream in = Files.newInputStream(list)) {
      packed.load(in);
    }
    List<String> libraries =
        packed.stringPropertyNames().stream()
            .filter(k -> !k.endsWith(".crc32"))
            .sorted()
            .collect(Collectors.toList());
    assertTrue(libraries.size() >= 4, "packed libraries: " + libraries);

    List<String> args = new ArrayList<>();
    libraries.forEach(l -> args.add("/" + l));
    Child ok = child(classes, args);
    assertEquals(0, ok.code(), ok.out());
    assertEquals(libraries.size(), ok.out().lines().filter(l -> l.startsWith("unpacked ")).count());

    Child big = child(classes, List.of("--allocate-64-mib"));
    assertNotEquals(0, big.code(), big.out());
    assertTrue(big.out().contains("OutOfMemoryError"), big.out());
  }

  record Child(int code, String out) {}

  /** {@link UnpackInSmallHeap} with the packed natives and xz only (no library's own copy). */
  private Child child(Path classes, List<String> args) throws IOException, InterruptedException {
    String xz =
        java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> Path.of(p).getFileName().toString().startsWith("xz-"))
            .findFirst()
            .orElseThrow();
    String cp =
        String.join(
            File.pathSeparator,
            classes.toString(),
            Path.of("target", "test-classes").toString(),
            xz);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-XX:+UseG1GC",
                "-cp",
                cp,
                UnpackInSmallHeap.class.getName(),
                dir.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child ended");
    return new Child(p.exitValue(), out);
  }
}
