package dev.omem.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the project a directory belongs to (DESIGN.md decision 6): the git root's normalised {@code
 * origin} URL when it has one, so two clones of one repo share memory; else the git root's path;
 * else the directory itself.
 */
public final class ProjectResolver {
  private static final Pattern ORIGIN =
      Pattern.compile("\\[remote \"origin\"\\][^\\[]*?\\burl\\s*=\\s*(\\S+)", Pattern.DOTALL);
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(.+)$");

  private ProjectResolver() {}

  /** The project key for {@code dir}, or empty if {@code dir} is null or does not exist. */
  public static Optional<String> projectKey(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Path abs = dir.toAbsolutePath().normalize();
    Optional<Path> root = gitRoot(abs);
    if (root.isEmpty()) {
      return Optional.of(abs.toString());
    }
    return Optional.of(
        originUrl(root.get()).map(ProjectResolver::normalizeUrl).orElse(root.get().toString()));
  }

  /** The nearest ancestor (or {@code dir} itself) holding {@code .git}. */
  public static Optional<Path> gitRoot(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> originUrl(Path root) {
    Path git = root.resolve(".git");
    try {
      Path configFile = git.resolve("config");
      if (Files.isRegularFile(git)) {
        // A worktree or submodule: ".git" is a file "gitdir: <path>"; the config is shared.
        String line = Files.readString(git).trim();
        if (line.startsWith("gitdir:")) {
          Path gitDir = root.resolve(line.substring(7).trim()).normalize();
          Path common = gitDir.resolve("commondir");
          Path base =
              Files.isRegularFile(common)
                  ? gitDir.resolve(Files.readString(common).trim()).normalize()
                  : gitDir;
          configFile = base.resolve("config");
        }
      }
      if (!Files.isRegularFile(configFile)) {
        return Optional.empty();
      }
      Matcher m = ORIGIN.matcher(Files.readString(configFile));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code git@github.com:Acme/App.git}, {@code https://user@github.com/Acme/App} and {@code
   * ssh://git@github.com/Acme/App.git} all become {@code github.com/acme/app}.
   */
  public static String normalizeUrl(String url) {
    String u = url.trim();
    u = u.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    if (!url.contains("://")) {
      Matcher scp = SCP_LIKE.matcher(u);
      if (scp.matches()) {
        u = scp.group(1) + "/" + scp.group(2);
      }
    }
    u = u.replaceFirst("^[^@/]+@", "");
    u = u.replaceFirst(":\\d+/", "/");
    u = u.replaceAll("/+$", "").replaceFirst("\\.git$", "");
    return u.toLowerCase(Locale.ROOT);
  }
}
