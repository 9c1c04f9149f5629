package dev.omem.index;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * One damaged part of the index: a file (or the writer, or the directory) and what is wrong with
 * it, in words a person reads in {@code omem doctor}.
 */
public record IndexDamage(String file, String problem) {

  /** The damage of one index file, by its Lucene checksum; empty when the file is whole. */
  static Optional<IndexDamage> ofFile(Directory dir, String file) {
    try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
      CodecUtil.checksumEntireFile(in);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(new IndexDamage(file, describe(e)));
    }
  }

  /** A Lucene file name in an error message: {@code _b.si}, {@code _b_Lucene912_0.tim}, … */
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("(_[a-z0-9]+(?:_\\w+?_[0-9]+)?\\.[a-z]+|segments_[a-z0-9]+)");

  /** The damage that kept the index from opening, naming the file the error names, if any. */
  static IndexDamage ofOpenFailure(java.nio.file.Path dir, Throwable e) {
    // The innermost cause names the file: "Unexpected file read error" wraps "…/_b.si".
    String file = dir.getFileName().toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      var m = FILE_NAME.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        file = m.group(1);
      }
    }
    return new IndexDamage(file, "cannot be opened: " + describe(e));
  }

  /** A short description of a failure: missing, truncated, checksum mismatch, or the error. */
  static String describe(Throwable e) {
    if (e.getCause() instanceof IOException cause
        && e instanceof CorruptIndexException
        && !(cause instanceof CorruptIndexException)) {
      return describe(cause); // "Unexpected file read error" around the file's own error
    }
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
      return "missing";
    }
    if (e instanceof EOFException) {
      return "truncated (" + e.getMessage() + ")";
    }
    if (e instanceof CorruptIndexException c) {
      String m = c.getOriginalMessage();
      if (m.contains("checksum failed")) {
        return "checksum mismatch: the bytes changed since Lucene wrote them";
      }
      if (m.contains("too short") || m.contains("truncated file")) {
        return "truncated (" + m + ")";
      }
      return "corrupt (" + m + ")";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public String toString() {
    return file + ": " + problem;
  }
}
