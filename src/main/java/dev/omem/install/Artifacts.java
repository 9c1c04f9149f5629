package dev.omem.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What {@code omem install} puts into the data dir: the running jar ({@code lib/omem.jar}), and the
 * launcher and the hook script, which the build copies from the Claude Code plugin ({@code
 * plugins/claude-code/}) into the jar, so any omem.jar can install them (one from npm, a bundle or
 * a release, with no checkout around).
 */
final class Artifacts {
  static final String LAUNCHER = "/dev/omem/install/bin/omem";
  static final String HOOK_SCRIPT = "/dev/omem/install/hooks/omem-hook";
  static final String HOOKS_JSON = "/dev/omem/install/hooks/hooks.json";
  static final String BRIDGE = "/dev/omem/install/bin/omem-bridge.js";

  private Artifacts() {}

  /** A resource of this jar, if the build put it there. */
  static Optional<byte[]> resource(String name) {
    try (InputStream in = Artifacts.class.getResourceAsStream(name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies {@code source} (the running jar) to {@code <data dir>/lib/omem.jar}. */
  static FileEdit jar(InstallContext ctx, Path source) throws IOException {
    Path target = ctx.installedJar();
    String after = describeJar(source);
    String before = "(none)";
    if (Files.exists(target)) {
      boolean same = Files.isSameFile(source, target) || Files.mismatch(source, target) == -1L;
      before = describeJar(target);
      if (!same && before.equals(after)) {
        before += ", other content";
      } else if (same) {
        before = after;
      }
    }
    return new FileEdit(
        target,
        List.of(new FileEdit.KeyChange("jar", before, after)),
        tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING),
        FileEdit.FILE_MODE);
  }

  /** The launcher at {@code <data dir>/bin/omem}. */
  static FileEdit launcher(InstallContext ctx) {
    byte[] bytes =
        ctx.resources()
            .get(LAUNCHER)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "this omem.jar has no launcher (" + LAUNCHER + "): a broken build"));
    return executable(ctx.launcher(), "launcher", bytes);
  }

  /**
   * The stdio bridge beside the launcher ({@code <data dir>/bin/omem-bridge.js}), when this jar
   * carries one: where node is, {@code omem mcp} then needs no JVM of its own (issue 19).
   */
  static Optional<FileEdit> bridge(InstallContext ctx) {
    return ctx.resources()
        .get(BRIDGE)
        .map(b -> executable(ctx.launcher().resolveSibling("omem-bridge.js"), "bridge", b));
  }

  /** The hook script at {@code <data dir>/hooks/omem-hook}, when this jar carries one. */
  static Optional<FileEdit> hookScript(InstallContext ctx) {
    return ctx.resources()
        .get(HOOK_SCRIPT)
        .map(b -> executable(ctx.hookScript(), "hook script", b));
  }

  private static FileEdit executable(Path target, String key, byte[] bytes) {
    String before = "(none)";
    if (Files.exists(target)) {
      try {
        before = describe(Files.readAllBytes(target));
      } catch (IOException e) {
        before = "(unreadable: " + e.getMessage() + ")";
      }
    }
    return new FileEdit(
        target,
        List.of(new FileEdit.KeyChange(key, before, describe(bytes))),
        tmp -> Files.write(tmp, bytes),
        FileEdit.EXECUTABLE_MODE);
  }

  /** Size and the start of the SHA-256: enough to tell two versions of a small file apart. */
  static String describe(byte[] bytes) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return bytes.length + " bytes, sha256 " + HexFormat.of().formatHex(sha, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An omem jar's version and build time (from its omem-build.properties) and size. */
  static String describeJar(Path jar) throws IOException {
    long size = Files.size(jar);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry("omem-build.properties");
      if (e != null) {
        Properties p = new Properties();
        try (InputStream in = zip.getInputStream(e)) {
          p.load(in);
        }
        return "omem "
            + p.getProperty("version", "?")
            + " built "
            + p.getProperty("built", "?")
            + ", "
            + size
            + " bytes";
      }
    } catch (IOException e) {
      // not a zip: describe by size only
    }
    return size + " bytes";
  }
}
