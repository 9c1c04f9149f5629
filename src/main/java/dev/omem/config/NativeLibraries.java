package dev.omem.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native libraries of ONNX Runtime and SQLite, extracted once per library version into {@code
 * <home>/cache/native/<library>-<version>/} and loaded from there, instead of once per process into
 * the temp directory (28.5 MB for ONNX Runtime alone, left behind by every killed process). Files
 * are written to a temporary name and renamed, so a killed extraction leaves no half file under the
 * real name; folders are 0700. A library whose files cannot be prepared is left to its own loader
 * (the temp directory), so this never stops omem from starting.
 */
public final class NativeLibraries {
  private static final Logger log = LoggerFactory.getLogger(NativeLibraries.class);

  /** ONNX Runtime's loader reads the libraries from this folder when the property is set. */
  static final String ORT_PATH = "onnxruntime.native.path";

  /** sqlite-jdbc loads {@code <lib.path>/<lib.name>} when both are set and the file exists. */
  static final String SQLITE_PATH = "org.sqlite.lib.path";

  static final String SQLITE_NAME = "org.sqlite.lib.name";

  static final String ORT_PREFIX = "onnxruntime-";
  static final String SQLITE_PREFIX = "sqlite-jdbc-";

  /**
   * How long a folder of another version must have gone unused before it is removed: two omem jars
   * of different versions used side by side (a plugin's and npx's) would otherwise delete each
   * other's libraries at every start.
   */
  static final Duration OTHER_VERSION_UNUSED = Duration.ofDays(1);

  private static boolean installed;

  /** The cache of the home {@link #install} was given; null before. */
  private static Path cache;

  private NativeLibraries() {}

  /** Where one library version's files go. */
  public record Prepared(Path dir, List<Path> files) {}

  /**
   * Once per process, before the first SQLite connection: extracts SQLite's library (when missing)
   * and points its loader at the cache of {@code home} (ONNX Runtime's follows when the model
   * loads: {@link #beforeOnnxRuntime}), removes other versions' folders unused for a day, and
   * sweeps the temp directory's leftovers of killed processes on a background thread ({@link
   * TempLitter}). Properties set already (by the user, or an earlier call) win.
   */
  public static synchronized void install(Path home) {
    if (installed) {
      return;
    }
    installed = true;
    cache = home.resolve("cache").resolve("native");
    Properties versions = versions();
    Optional<Prepared> sqlite = sqliteLibrary(cache, versions.getProperty("sqlite-jdbc"));
    if (sqlite.isEmpty() && !sqlitePlain()) {
      sqlite = sqliteLibrary(fallbackDir(), versions.getProperty("sqlite-jdbc"));
    }
    pointSqlite(sqlite);
    removeOtherVersions(cache, versions, Instant.now());
    Thread sweep = new Thread(() -> sweepTemp(home), "omem-temp-sweep");
    sweep.setDaemon(true);
    sweep.setPriority(Thread.MIN_PRIORITY);
    sweep.start();
  }

  /**
   * Before a SQLite connection of a process that never called {@link #install} (a backup checked
   * before the store opens): when the jar holds only packed copies, SQLite's library goes to a
   * folder of this process in the temp directory, since sqlite-jdbc's loader cannot unpack them.
   */
  public static synchronized void beforeSqlite() {
    if (installed || System.getProperty(SQLITE_PATH) != null || sqlitePlain()) {
      return;
    }
    pointSqlite(sqliteLibrary(fallbackDir(), versions().getProperty("sqlite-jdbc")));
  }

  /** Whether sqlite-jdbc's own loader finds its library (its jar on the class path: tests). */
  private static boolean sqlitePlain() {
    try {
      return NativeLibraries.class.getResource(
              org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath()
                  + "/"
                  + org.sqlite.util.LibraryLoaderUtil.getNativeLibName())
          != null;
    } catch (RuntimeException | LinkageError e) {
      return true; // an unknown platform: its loader says so
    }
  }

  private static void pointSqlite(Optional<Prepared> sqlite) {
    sqlite.ifPresent(
        p -> {
          if (System.getProperty(SQLITE_PATH) == null) {
            System.setProperty(SQLITE_PATH, p.dir().toString());
            System.setProperty(SQLITE_NAME, p.files().get(0).getFileName().toString());
          }
        });
  }

  /**
   * Right before ONNX Runtime first loads: its files in the cache of the home {@link #install} was
   * given (extracted again if something removed them), and its loader pointed there. Without an
   * install, ONNX Runtime's own loader decides when its jar is on the class path (tests); the built
   * jar holds only packed copies, which go to a folder of this process in the temp directory. A
   * path the user set wins.
   */
  public static synchronized void beforeOnnxRuntime() {
    String set = System.getProperty(ORT_PATH);
    if (set != null && (cache == null || !set.startsWith(cache.toString()))) {
      return;
    }
    String version = versions().getProperty("onnxruntime");
    Optional<Prepared> ort = cache == null ? Optional.empty() : ortLibraries(cache, version);
    if (ort.isEmpty() && !shipsPlain("/ai/onnxruntime/native/" + ortPlatform() + "/")) {
      // Only packed copies (the built jar) and no cache to put them in: a folder of this process
      // in the temp directory, named so that TempLitter removes it once no process maps it.
      ort = ortLibraries(fallbackDir(), version);
    }
    if (ort.isPresent()) {
      System.setProperty(ORT_PATH, ort.get().dir().toString());
    } else {
      System.clearProperty(ORT_PATH);
    }
  }

  /** Whether the library's own jar is on the class path (tests), so its own loader can extract. */
  private static boolean shipsPlain(String resources) {
    return NativeLibraries.class.getResource(resources + System.mapLibraryName("onnxruntime"))
        != null;
  }

  private static Path fallback;

  private static synchronized Path fallbackDir() {
    if (fallback == null) {
      try {
        fallback = Files.createTempDirectory("onnxruntime-java-omem");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fallback;
  }

  private static void sweepTemp(Path home) {
    try {
      TempLitter.sweep(TempLitter.tempDir(), Files.getOwner(home), Instant.now());
    } catch (IOException | RuntimeException e) {
      log.debug("No temp directory sweep: {}", e.toString());
    }
  }

  /**
   * ONNX Runtime's files for this platform in {@code cache/onnxruntime-<version>/<os-arch>/},
   * extracted when missing; empty when the version is unknown or this platform has none.
   */
  static Optional<Prepared> ortLibraries(Path cache, String version) {
    String platform = ortPlatform();
    if (version == null || platform == null) {
      return Optional.empty();
    }
    String resources = "/ai/onnxruntime/native/" + platform + "/";
    List<String> names = new ArrayList<>();
    // The JNI binding needs the runtime beside it; Windows also ships the provider bridge.
    for (String lib : List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared")) {
      names.add(System.mapLibraryName(lib));
    }
    return extract(cache.resolve(ORT_PREFIX + version).resolve(platform), resources, names, 2);
  }

  /**
   * SQLite's JDBC library for this platform in {@code cache/sqlite-jdbc-<version>/<os>/<arch>/}.
   */
  static Optional<Prepared> sqliteLibrary(Path cache, String version) {
    if (version == null) {
      return Optional.empty();
    }
    String resources;
    String name;
    try {
      resources = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/";
      name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
    Path dir = cache.resolve(SQLITE_PREFIX + version);
    for (String part : resources.substring("/org/sqlite/native/".length()).split("/")) {
      if (!part.isEmpty()) {
        dir = dir.resolve(part);
      }
    }
    return extract(dir, resources, List.of(name), 1);
  }

  /**
   * Copies each of {@code names} found under the class-path folder {@code resources} into {@code
   * dir} unless a file of the same size and CRC-32 is there; at least {@code required} must be
   * found.
   */
  static Optional<Prepared> extract(Path dir, String resources, List<String> names, int required) {
    List<Path> files = new ArrayList<>();
    try {
      for (String name : names) {
        PackedNative packed = PackedNative.find(resources + name);
        if (packed == null) {
          continue;
        }
        Path target = dir.resolve(name);
        // Checked by size and CRC-32 before every load; a mismatch is unpacked again beside it and
        // renamed over it (a process that mapped the old file keeps its own copy).
        if (!packed.matches(target)) {
          privateDirs(dir);
          removeStaleParts(dir);
          Path part = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".part");
          packed.unpackTo(part);
          if (HomePermissions.posix(part)) {
            Files.setPosixFilePermissions(part, HomePermissions.FILE);
          }
          move(part, target);
          log.info("Extracted {} to {}", name, dir);
        }
        files.add(target);
      }
      if (files.size() < required) {
        return Optional.empty();
      }
      // The folder's time says when this version was last used (removeOtherVersions).
      Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
      return Optional.of(new Prepared(dir, List.copyOf(files)));
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot prepare native libraries in {}: {}", dir, e.toString());
      return Optional.empty();
    }
  }

  /** Half-written files of extractions killed more than ten minutes ago. */
  private static void removeStaleParts(Path dir) throws IOException {
    Instant old = Instant.now().minus(TempLitter.MIN_AGE);
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
      for (Path part : parts) {
        if (Files.getLastModifiedTime(part).toInstant().isBefore(old)) {
          Files.deleteIfExists(part);
        }
      }
    }
  }

  /**
   * Removes folders of other versions of either library from {@code cache} when unused for a day.
   */
  static void removeOtherVersions(Path cache, Properties versions, Instant now) {
    if (!Files.isDirectory(cache)) {
      return;
    }
    String ort = ORT_PREFIX + versions.getProperty("onnxruntime");
    String sqlite = SQLITE_PREFIX + versions.getProperty("sqlite-jdbc");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cache)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        boolean ours = name.startsWith(ORT_PREFIX) || name.startsWith(SQLITE_PREFIX);
        if (!ours || name.equals(ort) || name.equals(sqlite) || !Files.isDirectory(entry)) {
          continue;
        }
        if (lastUsed(entry).plus(OTHER_VERSION_UNUSED).isBefore(now)) {
          TempLitter.deleteTree(entry);
        }
      }
    } catch (IOException e) {
      log.debug("Cannot list {}: {}", cache, e.toString());
    }
  }

  /** The newest modification time of {@code dir} and the folders under it (set when used). */
  private static Instant lastUsed(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isDirectory)
          .map(
              p -> {
                try {
                  return Files.getLastModifiedTime(p).toInstant();
                } catch (IOException e) {
                  return Instant.EPOCH;
                }
              })
          .max(Instant::compareTo)
          .orElse(Instant.EPOCH);
    }
  }

  /** The library versions this jar was built with ({@code omem-build.properties}). */
  static Properties versions() {
    Properties p = new Properties();
    try (InputStream in = NativeLibraries.class.getResourceAsStream("/omem-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.stringPropertyNames().stream()
        .filter(k -> p.getProperty(k).startsWith("${"))
        .forEach(p::remove);
    return p;
  }

  /** ONNX Runtime's name for this platform's folder, as its own loader computes it. */
  static String ortPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o;
    if (os.contains("mac") || os.contains("darwin")) {
      o = "osx";
    } else if (os.contains("win")) {
      o = "win";
    } else if (os.contains("nux")) {
      o = "linux";
    } else {
      return null;
    }
    String a;
    if (arch.startsWith("amd64") || arch.startsWith("x86_64")) {
      a = "x64";
    } else if (arch.startsWith("aarch64") || arch.startsWith("arm64")) {
      a = "aarch64";
    } else {
      return null;
    }
    return o + "-" + a;
  }

  private static void privateDirs(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      privateDirs(parent);
    }
    HomePermissions.createPrivateDir(dir);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Windows: a library another process has loaded cannot be replaced; that one is complete.
      Files.deleteIfExists(from);
      if (!Files.isRegularFile(to)) {
        throw e;
      }
    }
  }
}
