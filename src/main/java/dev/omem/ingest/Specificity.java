package dev.omem.ingest;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the specific things a statement names: versions and numbers, paths and file names, code
 * identifiers, flags and environment variables, proper names and acronyms, and well-known developer
 * tools. "We use pnpm 9 and the lockfile is pnpm-lock.yaml" names three; "we should keep things
 * simple" none. A memory that names things can be found again and acted on; one that names nothing
 * is usually a mood or a remark.
 */
final class Specificity {
  private static final List<Pattern> MARKERS =
      List.of(
          // versions and numbers with or without units: 3.12, v2, 5433, 256MB, 3.x
          Pattern.compile("\\bv?\\d+(\\.(\\d+|x))*[a-zA-Z%]{0,3}\\b"),
          // paths and file names: src/main, ./mvnw, settings.py, Next.js
          Pattern.compile("[\\w.~-]*/[\\w./-]*\\w|\\b[\\w-]{2,}\\.[a-z][a-z0-9]{0,4}\\b"),
          // code: `spans`, --flags, ENV_VARS, snake_case, camelCase and PascalCase identifiers
          Pattern.compile(
              "`[^`]+`|(?<!\\w)--?[a-z][\\w-]+|\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b"
                  + "|\\b[a-z]+_[a-z0-9_]+\\b|\\b[a-z]+[A-Z]\\w*\\b|\\b[A-Z][a-z]+[A-Z]\\w*\\b"),
          // proper names and acronyms after the first word: Postgres, Vitest, AWS, CI
          Pattern.compile("(?<=\\S\\s)[A-Z][\\w+#.-]*[\\w+#]|(?<=\\S\\s)[A-Z]{2,}\\b"),
          // Unicode proper names (Tomás, Zoë) that \\w misses
          Pattern.compile("(?<=\\S\\s)\\p{Lu}\\p{L}+"));

  /**
   * Tools written in lower case, which the patterns above cannot see. A closed list of the common
   * ones in coding sessions (package managers, build tools, runners, linters, infra CLIs), without
   * the ones that are also everyday English words (make, go, black, mix, stack); a tool missing
   * here only loses this one marker.
   */
  private static final Set<String> TOOLS =
      Set.copyOf(
          List.of(
              "npm",
              "pnpm",
              "yarn",
              "bun",
              "deno",
              "node",
              "npx",
              "pip",
              "pipx",
              "uv",
              "poetry",
              "conda",
              "venv",
              "cargo",
              "rustup",
              "clippy",
              "rustfmt",
              "gofmt",
              "mvn",
              "maven",
              "gradle",
              "sbt",
              "cmake",
              "ninja",
              "bazel",
              "docker",
              "podman",
              "kubectl",
              "helm",
              "terraform",
              "ansible",
              "git",
              "gh",
              "jq",
              "curl",
              "ripgrep",
              "rg",
              "grep",
              "sed",
              "awk",
              "bash",
              "zsh",
              "tmux",
              "vim",
              "neovim",
              "nvim",
              "emacs",
              "eslint",
              "prettier",
              "ruff",
              "mypy",
              "pyright",
              "flake8",
              "isort",
              "pytest",
              "tox",
              "nox",
              "jest",
              "vitest",
              "mocha",
              "rspec",
              "minitest",
              "junit",
              "testng",
              "gtest",
              "ktlint",
              "detekt",
              "rubocop",
              "credo",
              "dialyzer",
              "rebar3",
              "cabal",
              "composer",
              "phpunit",
              "pest",
              "dotnet",
              "nuget",
              "swift",
              "xcodebuild",
              "cocoapods",
              "brew",
              "systemd",
              "nginx",
              "redis",
              "postgres",
              "mysql",
              "sqlite",
              "kafka",
              "webpack",
              "vite",
              "esbuild",
              "rollup",
              "turbo",
              "nx",
              "lerna",
              "tsc",
              "babel",
              "swc",
              "storybook",
              "playwright",
              "cypress",
              "selenium",
              "k6",
              "locust",
              "sentry",
              "datadog"));

  private Specificity() {}

  /** How many distinct specific things {@code text} names. */
  static int count(String text) {
    Set<String> found = new HashSet<>();
    for (Pattern p : MARKERS) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        found.add(m.group().toLowerCase(Locale.ROOT));
      }
    }
    for (String w : ContentWords.words(text)) {
      if (TOOLS.contains(w)) {
        found.add(w);
      }
    }
    return found.size();
  }
}
