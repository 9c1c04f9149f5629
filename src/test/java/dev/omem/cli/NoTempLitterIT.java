package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.testing.BuiltJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar's in-process {@code omem mcp} (no daemon), SIGKILLed once its store is open and
 * ONNX Runtime loaded (seen in the child's {@code /proc/<pid>/maps}, so Linux only), leaves nothing
 * in its temp directory (a private {@code java.io.tmpdir}, so nothing else writes there): ONNX
 * Runtime and SQLite load from {@code <home>/cache/native/}. It also clears what an earlier version
 * left: an old {@code onnxruntime-java*} folder, and an old version's cache folder.
 */
class NoTempLitterIT {
  @TempDir Path home;
  @TempDir Path tmp;
  @TempDir Path work;

  @Test
  @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
  void aKilledInProcessServerLeavesNoTempFiles() throws Exception {
    Instant old = Instant.now().minus(Duration.ofDays(2));
    Path leftover = Files.createDirectory(tmp.resolve("onnxruntime-java42"));
    Files.write(leftover.resolve("libonnxruntime.so"), new byte[4096]);
    Files.setLastModifiedTime(leftover, FileTime.from(old));
    Path oldVersion =
        Files.createDirectories(home.resolve("cache/native/onnxruntime-1.0.0/linux-x64"));
    Files.setLastModifiedTime(oldVersion, FileTime.from(old));
    Files.setLastModifiedTime(oldVersion.getParent(), FileTime.from(old));

    Path err = work.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    "java", "-Djava.io.tmpdir=" + tmp, "-jar", BuiltJar.path().toString(), "mcp"))
            .directory(work.toFile())
            .redirectError(err.toFile());
    pb.environment().put("OMEM_DAEMON", "off");
    pb.environment().put("OMEM_HOME", home.toString());
    // the store stays open however slowly the model loads on a busy machine
    pb.environment().put("OMEM_STORE_IDLE_SECONDS", "600");
    Process p = pb.start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      OutputStream in = p.getOutputStream();
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
              + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
      assertTrue(out.readLine().contains("\"id\":1"));
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
              + "\"memory_store\",\"arguments\":{\"content\":\"Deploys go through ArgoCD\"}}}");
      String stored = out.readLine();
      assertTrue(stored.contains("Stored memory"), stored);
      // ONNX Runtime's JNI binding mapped from the cache: the runtime is loaded, and the folder
      // ONNX Runtime's loader makes in the temp directory at its start has come and gone.
      Path maps = Path.of("/proc/" + p.pid() + "/maps");
      waitFor(
          () ->
              Files.readString(maps).contains(home.resolve("cache/native").toString())
                  && Files.readString(maps).contains("libonnxruntime4j_jni")
                  && names(tmp).stream().noneMatch(n -> n.startsWith("onnxruntime-java")),
          err);
      waitFor(() -> !Files.exists(leftover), err);
      assertTrue(p.isAlive());
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    assertEquals(Set.of(), names(tmp), "nothing left in the temp directory");
    Set<String> cache = names(home.resolve("cache/native"));
    assertFalse(cache.contains("onnxruntime-1.0.0"), "an old version's folder goes: " + cache);
    assertTrue(cache.stream().anyMatch(n -> n.startsWith("onnxruntime-")), cache.toString());
    assertTrue(cache.stream().anyMatch(n -> n.startsWith("sqlite-jdbc-")), cache.toString());
    try (Stream<Path> files = Files.walk(home.resolve("cache/native"))) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().startsWith("libonnxruntime")),
          "the runtime is in the cache");
    }
  }

  private static void send(OutputStream in, String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private void waitFor(Check check, Path err) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!check.ok()) {
      assertTrue(
          System.nanoTime() < end,
          () ->
              "timed out; stderr: "
                  + read(err)
                  + " files: "
                  + tree(err.getParent())
                  + tree(home)
                  + tree(tmp));
      Thread.sleep(100);
    }
  }

  private static String tree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(Path::toString).toList().toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String read(Path err) {
    try {
      return Files.readString(err);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return new TreeSet<>(entries.map(e -> e.getFileName().toString()).toList());
    }
  }
}
