package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.omem.config.OmemConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import takes no path from its input: an uploaded file named {@code ../../…} (the name an HTTP
 * client or the CLI sends) is spooled under a name of the spool's own inside the data dir, read
 * from there and removed, and its name is only the import's label; nothing is written beside or
 * above the data dir. Omem, OMP and Markdown files name no other files, and there are no archives
 * to unpack (session 17). Real store (SQLite, Lucene).
 */
class ImportFileNameTest {
  @TempDir Path root;

  @Test
  void anUploadNamedWithDotDotsIsSpooledInsideTheDataDirAndOnlyLabelsTheImport() throws Exception {
    Path home = root.resolve("a").resolve("home");
    String name = "../../escaped.md";
    byte[] bytes = "- Deploys go through the canary first\n".getBytes(StandardCharsets.UTF_8);
    ImportRequest upload =
        new ImportRequest(
            "markdown", null, name, false, null, null, () -> new ByteArrayInputStream(bytes));
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      ImportRecord r =
          s.importFile(new Caller(null, null, "test", "s-1"), upload, ImportProgress.NONE);
      assertEquals("completed", r.status(), r.toString());
      assertEquals(1, r.imported(), r.toString());
      assertEquals(name, r.fileName(), "the name is the import's label, as given");
    }
    assertFalse(Files.exists(home.resolve(name).normalize()), "nothing where the name points");
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> outside = all.filter(p -> !p.startsWith(home) && !Files.isDirectory(p)).toList();
      assertEquals(List.of(), outside, "nothing written outside the data dir");
    }
    Path spool = home.resolve("cache").resolve("import-spool");
    try (Stream<Path> left = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
      assertEquals(List.of(), left.toList(), "the spooled copy is removed");
    }
  }
}
