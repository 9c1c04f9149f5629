package dev.omem.service;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an uploaded import file waits while it is imported: a file in the data dir's {@code
 * cache/import-spool}, read twice by the omem reader and removed when the import ends (issue 19:
 * the daemon's heap holds neither the request body nor the file). Never the temp directory, which a
 * killed process would litter; a file a killed process left here is removed when the store opens
 * again (only one process opens a data dir).
 */
final class ImportSpool {
  private final Path dir;

  ImportSpool(Path home) {
    this.dir = home.resolve("cache").resolve("import-spool");
    try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
      for (Path p : left) {
        Files.deleteIfExists(p);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever spooled
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  /** Copies the upload to a new file here; past {@code max} bytes nothing is kept. */
  Path copy(ImportRequest.Upload upload, long max) {
    Path file = null;
    try {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, "import-", ".upload");
      try (InputStream in = upload.open();
          OutputStream out = Files.newOutputStream(file)) {
        byte[] buf = new byte[64 << 10];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
          total += n;
          if (total > max) {
            throw OmemException.invalid(
                "the file is larger than " + (max >> 20) + " MiB, the most an import takes");
          }
          out.write(buf, 0, n);
        }
      }
      return file;
    } catch (IOException e) {
      remove(file);
      throw OmemException.invalid("the file could not be received: " + e.getMessage());
    } catch (RuntimeException e) {
      remove(file);
      throw e;
    }
  }

  /** Removes a spooled file (null: nothing). */
  static void remove(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // left for the next start to clear
    }
  }
}
