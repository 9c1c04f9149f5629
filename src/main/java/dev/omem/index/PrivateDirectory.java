package dev.omem.index;

import dev.omem.config.HomePermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;

/**
 * An index directory whose every new file is 0600 the moment Lucene creates it: the index holds the
 * memories' text, and the JVM cannot set a umask, so segments written after start would otherwise
 * be readable by every local user (the directory itself is 0700 too).
 */
final class PrivateDirectory extends FilterDirectory {
  private final Path dir;
  private final boolean posix;

  PrivateDirectory(FSDirectory in) {
    super(in);
    this.dir = in.getDirectory();
    this.posix = HomePermissions.posix(dir);
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    IndexOutput out = super.createOutput(name, context);
    restrict(out.getName());
    return out;
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    IndexOutput out = super.createTempOutput(prefix, suffix, context);
    restrict(out.getName());
    return out;
  }

  @Override
  public Lock obtainLock(String name) throws IOException {
    Lock lock = super.obtainLock(name);
    restrict(name); // write.lock: empty, but a 0644 file in the home is what doctor warns about
    return lock;
  }

  private void restrict(String name) throws IOException {
    if (posix) {
      Files.setPosixFilePermissions(dir.resolve(name), HomePermissions.FILE);
    }
  }
}
