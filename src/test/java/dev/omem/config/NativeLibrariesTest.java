package dev.omem.config;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native-library cache with the real libraries of the class path (ONNX Runtime's and SQLite's
 * jars), and the temp-directory sweep on real files. Nothing here sets the loaders' properties:
 * that is {@link NativeLibraries#install}, shown with the built jar by {@code NoTempLitterIT}.
 */
class NativeLibrariesTest {
  @TempDir Path cache;
  @TempDir Path tmp;

  static final Instant NOW = Instant.now();

  @Test
  void onnxRuntimeIsExtractedOnceIntoAPrivateVersionFolder() throws Exception {
    String platform = NativeLibraries.ortPlatform();
    assumeTrue(platform != null, "a platform ONNX Runtime ships for");
    NativeLibraries.Prepared first = NativeLibraries.ortLibraries(cache, "1.29.0").orElseThrow();
    assertEquals(cache.resolve("onnxruntime-1.29.0").resolve(platform), first.dir());
    Path runtime = first.dir().resolve(System.mapLibraryName("onnxruntime"));
    assertTrue(first.files().contains(runtime));
    long size = Files.size(runtime);
    assertTrue(size > 1_000_000, "the whole runtime: " + size);
    if (HomePermissions.posix(runtime)) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime)));
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.dir())));
    }
    // A second start writes nothing: the file keeps the time it was written at.
    FileTime old = FileTime.from(NOW.minus(Duration.ofDays(3)));
    Files.setLastModifiedTime(runtime, old);
    NativeLibraries.ortLibraries(cache, "1.29.0").orElseThrow();
    assertEquals(old, Files.getLastModifiedTime(runtime));

    // A damaged (cut short) file is written again whole.
    try (FileChannel c = FileChannel.open(runtime, StandardOpenOption.WRITE)) {
      c.truncate(1000);
    }
    NativeLibraries.ortLibraries(cache, "1.29.0").orElseThrow();
    assertEquals(size, Files.size(runtime));
    try (var files = Files.list(first.dir())) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")));
    }
  }

  @Test
  void aCachedFileOfTheRightSizeWithOtherBytesIsReplacedByRenameNotLoaded() throws Exception {
    assumeTrue(NativeLibraries.ortPlatform() != null, "a platform ONNX Runtime ships for");
    Path runtime =
        NativeLibraries.ortLibraries(cache, "1.20.0")
            .orElseThrow()
            .dir()
            .resolve(System.mapLibraryName("onnxruntime"));
    byte[] whole = Files.readAllBytes(runtime);
    int middle = whole.length / 2;
    byte damaged = (byte) ~whole[middle];
    try (FileChannel c = FileChannel.open(runtime, StandardOpenOption.WRITE)) {
      c.write(java.nio.ByteBuffer.wrap(new byte[] {damaged}), middle);
    }
    Object before = Files.readAttributes(runtime, BasicFileAttributes.class).fileKey();
    // A process that has mapped the damaged file, as a running daemon maps its library.
    try (FileChannel c = FileChannel.open(runtime, StandardOpenOption.READ)) {
      MappedByteBuffer mapped = c.map(FileChannel.MapMode.READ_ONLY, 0, whole.length);
      NativeLibraries.ortLibraries(cache, "1.20.0").orElseThrow();
      assertArrayEquals(whole, Files.readAllBytes(runtime), "the CRC-32 check unpacked it again");
      assertEquals(damaged, mapped.get(middle), "the mapped file was not written in place");
      Object after = Files.readAttributes(runtime, BasicFileAttributes.class).fileKey();
      if (before != null) {
        assertNotEquals(before, after, "a new file renamed over the old name");
      }
    }
  }

  @Test
  void sqliteLibraryGoesToItsOwnVersionFolder() throws Exception {
    NativeLibraries.Prepared sqlite =
        NativeLibraries.sqliteLibrary(cache, "3.54.1.0").orElseThrow();
    assertTrue(sqlite.dir().startsWith(cache.resolve("sqlite-jdbc-3.54.1.0")));
    assertEquals(1, sqlite.files().size());
    assertTrue(Files.size(sqlite.files().get(0)) > 100_000);
  }

  @Test
  void otherVersionsGoOnceUnusedForADay() throws Exception {
    Properties current = new Properties();
    current.setProperty("onnxruntime", "1.29.0");
    current.setProperty("sqlite-jdbc", "3.54.1.0");
    Path currentOrt = folder("onnxruntime-1.29.0", Duration.ofDays(30));
    Path oldOrt = folder("onnxruntime-1.20.0", Duration.ofDays(2));
    Path oldSqlite = folder("sqlite-jdbc-3.45.0.0", Duration.ofDays(2));
    Path recentOther = folder("onnxruntime-1.30.0", Duration.ofHours(2));
    Path unrelated = folder("models", Duration.ofDays(30));

    NativeLibraries.removeOtherVersions(cache, current, NOW);

    assertFalse(Files.exists(oldOrt), "an older runtime unused for two days goes");
    assertFalse(Files.exists(oldSqlite));
    assertTrue(Files.exists(currentOrt), "this build's version stays, however old");
    assertTrue(Files.exists(recentOther), "a version another jar used today stays");
    assertTrue(Files.exists(unrelated), "only the libraries' own folders are touched");
  }

  @Test
  void sweepRemovesOldLeftoversOfThisUserOnly() throws Exception {
    Path oldOrt = leftover("onnxruntime-java1234", Duration.ofHours(3));
    Path oldSqlite = tmp.resolve("sqlite-3.54.1.0-0b1c-libsqlitejdbc.so");
    Files.write(oldSqlite, new byte[10]);
    Path oldLock = tmp.resolve("sqlite-3.54.1.0-0b1c-libsqlitejdbc.so.lck");
    Files.write(oldLock, new byte[0]);
    age(oldSqlite, Duration.ofHours(3));
    age(oldLock, Duration.ofHours(3));
    Path fresh = leftover("onnxruntime-java5678", Duration.ofMinutes(1));
    Path someoneElses = leftover("unrelated-tool-cache", Duration.ofDays(3));

    int removed = TempLitter.sweep(tmp, Files.getOwner(tmp), NOW);

    assertEquals(3, removed);
    assertFalse(Files.exists(oldOrt));
    assertFalse(Files.exists(oldSqlite));
    assertFalse(Files.exists(oldLock));
    assertTrue(Files.exists(fresh), "a process may be extracting into it right now");
    assertTrue(Files.exists(someoneElses));
  }

  @Test
  void sweepKeepsALeftoverALiveProcessHasMapped() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux /proc");
    Path inUse = leftover("onnxruntime-java9999", Duration.ofHours(3));
    Path lib = inUse.resolve("libonnxruntime.so");
    try (FileChannel c = FileChannel.open(lib, StandardOpenOption.READ)) {
      MappedByteBuffer mapped = c.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(lib));
      age(inUse, Duration.ofHours(3));
      assertEquals(0, TempLitter.sweep(tmp, Files.getOwner(tmp), NOW));
      assertTrue(Files.exists(lib), "mapped by this very process");
      assertEquals(0, mapped.get(0));
    }
  }

  private Path folder(String name, Duration age) throws IOException {
    Path dir = Files.createDirectories(cache.resolve(name).resolve("linux-x64"));
    Files.write(dir.resolve("lib.so"), new byte[10]);
    age(dir, age);
    age(dir.getParent(), age);
    return dir.getParent();
  }

  private Path leftover(String name, Duration age) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(name));
    Files.write(dir.resolve("libonnxruntime.so"), new byte[4096]);
    age(dir, age);
    return dir;
  }

  private static void age(Path p, Duration age) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
  }
}
