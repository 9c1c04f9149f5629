package dev.omem.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stand-in for an agent's CLI ({@code claude -p}) in unit tests: a bash script that records its
 * arguments, environment, stdin and pid in a folder, then prints the answer set with {@link
 * #answer} and exits with {@link #exitCode}. The real CLI runs in {@code AgentCliExtractorIT}.
 */
public final class StandInAgentCli {
  private final Path dir;
  private final Path script;

  public StandInAgentCli(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.script = dir.resolve("agent-cli");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "d='" + dir + "'",
            "n=$(( $(cat \"$d/runs\" 2>/dev/null || echo 0) + 1 )); echo $n > \"$d/runs\"",
            "printf '%s\\0' \"$@\" > \"$d/args\"",
            "env -0 > \"$d/env\"",
            "cat > \"$d/stdin\"",
            "echo $$ > \"$d/pid\"",
            "[ -f \"$d/sleep\" ] && sleep \"$(cat \"$d/sleep\")\"",
            "[ -f \"$d/answer\" ] && cat \"$d/answer\"",
            "exit \"$(cat \"$d/exit\" 2>/dev/null || echo 0)\"",
            ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
  }

  public String command() {
    return script.toString();
  }

  /** What the next runs print on stdout. */
  public StandInAgentCli answer(String stdout) throws IOException {
    Files.writeString(dir.resolve("answer"), stdout);
    return this;
  }

  /** A {@code claude -p --output-format json} success result with this text and usage. */
  public StandInAgentCli result(String text, long in, long out) throws IOException {
    String json =
        "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":"
            + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text)
            + ",\"usage\":{\"input_tokens\":"
            + in
            + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":"
            + out
            + "}}";
    return answer(json + "\n");
  }

  public StandInAgentCli exitCode(int code) throws IOException {
    Files.writeString(dir.resolve("exit"), Integer.toString(code));
    return this;
  }

  public StandInAgentCli sleepSeconds(int s) throws IOException {
    Files.writeString(dir.resolve("sleep"), Integer.toString(s));
    return this;
  }

  public int runs() throws IOException {
    Path f = dir.resolve("runs");
    return Files.exists(f) ? Integer.parseInt(Files.readString(f).strip()) : 0;
  }

  /** The last run's arguments. */
  public List<String> args() throws IOException {
    String all = Files.readString(dir.resolve("args"), StandardCharsets.UTF_8);
    return Arrays.asList(all.split("\0", -1)).subList(0, all.split("\0", -1).length - 1);
  }

  public Map<String, String> env() throws IOException {
    return Arrays.stream(Files.readString(dir.resolve("env"), StandardCharsets.UTF_8).split("\0"))
        .filter(s -> s.contains("="))
        .collect(
            Collectors.toMap(
                s -> s.substring(0, s.indexOf('=')),
                s -> s.substring(s.indexOf('=') + 1),
                (a, b) -> b));
  }

  public String stdin() throws IOException {
    return Files.readString(dir.resolve("stdin"), StandardCharsets.UTF_8);
  }

  public long pid() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("pid")).strip());
  }
}
