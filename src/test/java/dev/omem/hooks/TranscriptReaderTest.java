package dev.omem.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.hooks.TranscriptReader.Read;
import dev.omem.hooks.TranscriptReader.Turn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcript reader over transcripts written as Claude Code writes them (fixtures under {@code
 * transcripts/}: typed lines, string and block content, tool calls and results, thinking, an image,
 * a sub-agent's lines, meta and slash-command lines, an attachment holding omem's own block, a
 * compaction summary, a damaged line, and a last line still being written).
 */
class TranscriptReaderTest {
  @TempDir Path dir;

  private static String resource(String name) throws IOException {
    try (InputStream in = TranscriptReaderTest.class.getResourceAsStream("/transcripts/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Path copy(String name) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, resource(name));
    return p;
  }

  @Test
  void keepsOnlyWhatThePersonAndTheAssistantSaid() throws IOException {
    Path t = copy("session-basic.jsonl");
    Read r = TranscriptReader.read(t, 0);
    assertEquals(
        List.of(
            new Turn(
                "user",
                "I prefer tabs over spaces in every Go file we touch, and gofmt runs on save."),
            // one reply written as several lines, with a tool call and its result in between
            new Turn(
                "assistant",
                "Noted: tabs in Go files. Let me check the editor config.\n\n"
                    + "The .editorconfig already sets tabs for Go files."),
            // the image block is not text
            new Turn(
                "user",
                "Our staging database runs Postgres 16 on port 5433, not the default port."),
            // the IDE's system reminder and omem's own block are gone
            new Turn("user", "We deploy every service through ArgoCD from the main branch."),
            new Turn("assistant", "Understood: ArgoCD deploys from main.")),
        r.turns());
    for (Turn turn : r.turns()) {
      assertFalse(turn.text().contains("omem-memories"), turn.text());
      assertFalse(turn.text().contains("retry policy"), "sub-agent traffic: " + turn.text());
      assertFalse(turn.text().contains("Caveat"), "meta line: " + turn.text());
      assertFalse(turn.text().contains("/model"), "slash command: " + turn.text());
      assertFalse(turn.text().contains("interrupted"), turn.text());
    }
    assertFalse(r.restarted());
  }

  @Test
  void aLineStillBeingWrittenIsLeftForTheNextRead() throws IOException {
    Path t = copy("session-basic.jsonl");
    long size = Files.size(t);
    Read first = TranscriptReader.read(t, 0);
    assertTrue(first.offset() < size, "the partial last line is not consumed");
    String text = Files.readString(t);
    assertEquals(
        text.substring(0, text.lastIndexOf('\n') + 1).getBytes(StandardCharsets.UTF_8).length,
        first.offset());

    Read nothingYet = TranscriptReader.read(t, first.offset());
    assertEquals(List.of(), nothingYet.turns());
    assertEquals(first.offset(), nothingYet.offset());

    Files.writeString(t, resource("session-basic.rest"), StandardOpenOption.APPEND);
    Read second = TranscriptReader.read(t, first.offset());
    assertEquals(
        List.of(new Turn("user", "The release train leaves every Thursday at noon Berlin time.")),
        second.turns());
    assertEquals(Files.size(t), second.offset());
  }

  @Test
  void offsetsCountBytesSoMultiByteTextResumesExactly() throws IOException {
    Path t = copy("session-unicode.jsonl");
    Read all = TranscriptReader.read(t, 0);
    assertEquals(
        List.of(
            // the compaction summary is Claude Code's text, not the user's; the damaged line is
            // skipped on its own
            new Turn(
                "user",
                "Die Kundendatenbank heißt „kunden_prod“ und läuft auf Port 5433 — nicht 5432."),
            new Turn("assistant", "Verstanden: kunden_prod auf Port 5433 ✓"),
            new Turn(
                "user", "Wir nutzen 日本語 identifiers nowhere; all code identifiers stay ASCII.")),
        all.turns());
    assertEquals(Files.size(t), all.offset());

    // Reading line by line from each offset gives the same turns: every offset is a line start.
    String text = Files.readString(t);
    long secondLine =
        text.substring(0, text.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8).length;
    Read rest = TranscriptReader.read(t, secondLine);
    assertEquals(all.turns(), rest.turns());
  }

  @Test
  void aMissingFileIsNothingToCapture() throws IOException {
    Read r = TranscriptReader.read(dir.resolve("gone.jsonl"), 1234);
    assertEquals(List.of(), r.turns());
    assertEquals(1234, r.offset());
  }

  @Test
  void aFileShorterThanTheOffsetWasReplacedAndIsReadFromItsStart() throws IOException {
    Path t = copy("session-unicode.jsonl");
    Read r = TranscriptReader.read(t, Files.size(t) + 10_000);
    assertTrue(r.restarted());
    assertEquals(3, r.turns().size());
  }

  @Test
  void omemBlocksAreStrippedEvenWhenCutShort() {
    assertEquals(
        "before  after",
        MemoryBlock.strip(
            "before " + MemoryBlock.OPEN + "\n- \"x\"\n" + MemoryBlock.CLOSE + " after"));
    assertEquals(
        "kept ", MemoryBlock.strip("kept " + MemoryBlock.OPEN + "\n- \"cut by the client"));
    List<Turn> turns =
        TranscriptReader.parseAll(
            "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\""
                + "<omem-memories>\\n- \\\"Prefers tabs\\\"\\n</omem-memories>\"}}\n");
    assertEquals(List.of(), turns, "a turn that was only omem's block is dropped");
  }

  @Test
  void otherShapesAreSkippedNotFailed() {
    String lines =
        String.join(
            "\n",
            "",
            "[1,2,3]",
            "\"text\"",
            "{\"type\":\"user\"}",
            "{\"type\":\"user\",\"message\":{\"content\":42}}",
            "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\"}]}}",
            "{\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\"}}",
            "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"plain string\"}}");
    assertEquals(List.of(new Turn("user", "plain string")), TranscriptReader.parseAll(lines));
  }
}
