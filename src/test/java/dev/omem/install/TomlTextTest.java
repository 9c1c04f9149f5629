package dev.omem.install;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.OmemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arrays and inline tables: what TomlText accepts, the lines a pair spans, and what it refuses. */
class TomlTextTest {
  private static final Path FILE = Path.of("config.toml");

  @Test
  void arraysAndInlineTablesSpanTheirLinesWithCommentsAndTrailingCommas() {
    TomlText.Scan scan =
        TomlText.scan(
            "args = [\n  \"a\", # first\n  [1, 2,],\n  { x = 1, y = [] },\n]\n"
                + "env = { TOKEN = \"t\", nested = { deep = [ ] }, }\n"
                + "empty = []\nnone = {}\n",
            FILE);
    assertEquals(
        List.of(
            List.of("args", 0, 4),
            List.of("env", 5, 5),
            List.of("empty", 6, 6),
            List.of("none", 7, 7)),
        scan.pairs().stream()
            .map(p -> List.<Object>of(String.join(".", p.key()), p.firstLine(), p.lastLine()))
            .toList());
  }

  @Test
  void unclosedOrUnseparatedItemsAreRefusedWithTheirMessage() {
    assertRefused("args = [\"a\", \"b\"\n", "line 2: an array is not closed with ]");
    assertRefused("args = [\n", "line 2: an array is not closed with ]");
    assertRefused("args = [\"a\" \"b\"]\n", "line 1: expected ',' or ']' in an array, found '\"'");
    assertRefused("env = { a = 1\n", "line 2: an inline table is not closed with }");
    assertRefused("env = {\n", "line 2: an inline table is not closed with }");
    assertRefused(
        "env = { a = \"1\" b = 2 }\n", "line 1: expected ',' or '}' in an inline table, found 'b'");
    assertRefused("env = { a 1 }\n", "line 1: expected '=' in an inline table");
  }

  private static void assertRefused(String toml, String message) {
    OmemException e = assertThrows(OmemException.class, () -> TomlText.scan(toml, FILE), toml);
    assertTrue(e.getMessage().contains("not valid TOML: " + message), e.getMessage());
  }
}
