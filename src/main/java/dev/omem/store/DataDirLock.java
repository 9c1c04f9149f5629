package dev.omem.store;

import dev.omem.config.HomePermissions;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock an embedded store holds on its data directory (DESIGN.md decision 2: one
 * writer per data directory). A second process gets a clear message instead of a store two writers
 * would corrupt (the Lucene index has one writer by construction).
 */
public final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails at once with a message naming the holder's pid. */
  public static DataDirLock acquire(Path dir) {
    Path file = dir.resolve("omem.lock");
    try {
      HomePermissions.createPrivateDir(dir);
      HomePermissions.createPrivateFile(file);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        ch.close();
        throw new OmemException(
            ErrorCode.CONFLICT,
            "the data directory "
                + dir
                + " is in use by another omem process"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + "; stop it or use a different --home");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      ch.force(false);
      return new DataDirLock(ch, l);
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL, "cannot lock the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS drops the lock with the process anyway
    }
  }
}
