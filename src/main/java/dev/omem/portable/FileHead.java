package dev.omem.portable;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The start of a file on disk, read as strictly decoded UTF-8 to its end in a few KB of heap: what
 * {@link FileType#guess} and the blank-file check need of a file too large to hold whole, and the
 * proof that every byte of it is text (a binary file is refused, not mangled).
 */
public final class FileHead {
  /** Characters kept after the leading white space: {@link FileType#guess} looks at 4,096. */
  static final int CHARS = 8192;

  private FileHead() {}

  /**
   * Up to {@link #CHARS} characters of the file after its leading white space ("" when it holds
   * only white space); {@code name} is how errors name the file.
   */
  public static String of(Path file, String name) {
    try (InputStream in = Files.newInputStream(file);
        Reader r =
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT))) {
      StringBuilder head = new StringBuilder();
      char[] buf = new char[8192];
      int n;
      while ((n = r.read(buf)) >= 0) {
        for (int i = 0; i < n && head.length() < CHARS; i++) {
          if (head.length() > 0 || !Character.isWhitespace(buf[i])) {
            head.append(buf[i]);
          }
        }
      }
      return head.toString();
    } catch (NoSuchFileException e) {
      throw OmemException.invalid("no such file: " + name);
    } catch (CharacterCodingException e) {
      throw OmemException.invalid(name + " is not UTF-8 text");
    } catch (IOException e) {
      throw OmemException.invalid("cannot read " + name + ": " + e.getMessage());
    }
  }
}
