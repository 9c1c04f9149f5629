package dev.omem.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the conversation out of a Claude Code transcript ({@code transcript_path}, JSONL) from a
 * byte offset on. Claude Code writes typed lines, not one message per line: only {@code user} and
 * {@code assistant} lines hold the conversation, their {@code message.content} is a string or a
 * list of blocks, and of the blocks only {@code text} is something a person said or was told (tool
 * calls and results, thinking and images are not). Sub-agent traffic ({@code isSidechain}), lines
 * Claude Code adds itself ({@code isMeta}, compaction summaries) and every other line type are
 * skipped, as are omem's own injected blocks and the wrappers Claude Code puts around slash
 * commands and hook output.
 */
public final class TranscriptReader {
  /** One turn of the conversation: {@code role} is {@code user} or {@code assistant}. */
  public record Turn(String role, String text) {}

  /**
   * What a read found.
   *
   * @param offset where the next read starts: after the last complete line (a line still being
   *     written, with no newline yet, is left for the next read)
   * @param restarted the file was shorter than the offset asked for (replaced), so it was read from
   *     its start
   */
  public record Read(List<Turn> turns, long offset, boolean restarted) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Text Claude Code itself puts into user turns: reminders it injects, slash-command wrappers and
   * their output, {@code !} shell commands and their output, hook output. Removed with what they
   * hold; what is left (usually nothing) is the user's.
   */
  private static final Pattern WRAPPERS =
      Pattern.compile(
          "<(system-reminder|local-command-stdout|local-command-stderr|local-command-caveat"
              + "|command-name|command-message|command-args|command-contents|bash-input"
              + "|bash-stdout|bash-stderr|user-prompt-submit-hook)>.*?(?:</\\1>|\\z)",
          Pattern.DOTALL);

  /** Markers Claude Code writes as the user's text when a turn was interrupted. */
  private static final Pattern INTERRUPTED =
      Pattern.compile("^\\[Request interrupted by user[^\\]]*\\]$");

  private TranscriptReader() {}

  /**
   * The turns written since {@code offset}. A missing file is nothing to capture: no turns, the
   * offset unchanged.
   */
  public static Read read(Path file, long offset) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return new Read(List.of(), offset, false);
    }
    try (ch) {
      boolean restarted = false;
      long start = offset;
      if (start < 0 || start > ch.size()) {
        start = 0; // a new file under the old name: what it holds has not been read
        restarted = true;
      }
      ch.position(start);
      List<Turn> turns = new ArrayList<>();
      long consumed = start;
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        if (b != '\n') {
          line.write(b);
          continue;
        }
        consumed += line.size() + 1L;
        add(turns, parse(line.toString(StandardCharsets.UTF_8)));
        line.reset();
      }
      return new Read(List.copyOf(turns), consumed, restarted);
    }
  }

  /** The turns of complete JSONL text (tests, and what {@link #read} does per line). */
  public static List<Turn> parseAll(String jsonl) {
    List<Turn> turns = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      add(turns, parse(line));
    }
    return List.copyOf(turns);
  }

  /**
   * Adds a turn; an assistant reply that Claude Code wrote as several lines (one per content block,
   * tool calls in between) becomes one turn.
   */
  private static void add(List<Turn> turns, Turn t) {
    if (t == null) {
      return;
    }
    int last = turns.size() - 1;
    if (t.role().equals("assistant") && last >= 0 && turns.get(last).role().equals("assistant")) {
      turns.set(last, new Turn("assistant", turns.get(last).text() + "\n\n" + t.text()));
    } else {
      turns.add(t);
    }
  }

  /** The turn one line holds, or null when it holds none. */
  static Turn parse(String line) {
    if (line.isBlank()) {
      return null;
    }
    JsonNode j;
    try {
      j = JSON.readTree(line);
    } catch (IOException e) {
      return null; // a damaged line loses only itself
    }
    if (j == null || !j.isObject()) {
      return null;
    }
    String type = j.path("type").asText("");
    if (!type.equals("user") && !type.equals("assistant")) {
      return null;
    }
    if (j.path("isSidechain").asBoolean(false)
        || j.path("isMeta").asBoolean(false)
        || j.path("isCompactSummary").asBoolean(false)) {
      return null;
    }
    String text = text(j.path("message").path("content"));
    if (text == null) {
      return null;
    }
    text = WRAPPERS.matcher(MemoryBlock.strip(text)).replaceAll("").strip();
    if (text.isEmpty() || INTERRUPTED.matcher(text).matches()) {
      return null;
    }
    return new Turn(type, text);
  }

  /** A string content, or the {@code text} blocks of a block list joined; null otherwise. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText("").equals("text") && block.path("text").isTextual()) {
        if (b.length() > 0) {
          b.append("\n\n");
        }
        b.append(block.path("text").asText());
      }
    }
    return b.length() == 0 ? null : b.toString();
  }
}
