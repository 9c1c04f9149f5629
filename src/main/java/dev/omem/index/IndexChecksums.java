package dev.omem.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * The integrity check of an open index: each file of its last commit against the checksum Lucene
 * wrote in its footer ({@code CodecUtil.checksumEntireFile}), with the commit pinned so that a
 * concurrent commit cannot delete what is being read, then Lucene's own {@code checkIntegrity} on
 * the segments flushed since, and whether the writer is still open.
 */
final class IndexChecksums {
  private IndexChecksums() {}

  /**
   * Verifies every file of the last commit against its Lucene checksum, and the segments written
   * since then; an empty list means no damage. Never throws: a check that cannot run is damage.
   */
  static List<IndexDamage> verify(
      Path dir,
      Directory directory,
      IndexWriter writer,
      SnapshotDeletionPolicy snapshots,
      SearcherManager searchers) {
    if (!Files.isDirectory(dir)) {
      return List.of(new IndexDamage(dir.getFileName().toString(), "the index directory is gone"));
    }
    List<IndexDamage> damage = new ArrayList<>();
    if (writer.getTragicException() != null || !writer.isOpen()) {
      Throwable t = writer.getTragicException();
      damage.add(
          new IndexDamage(
              "IndexWriter", "closed" + (t == null ? "" : " after " + IndexDamage.describe(t))));
    }
    java.util.Set<String> committedSegments = new java.util.HashSet<>();
    IndexCommit commit = null;
    try {
      commit = snapshots.snapshot(); // pinned: a commit meanwhile cannot delete its files
    } catch (IllegalStateException | IOException none) {
      // no commit yet: only the segments in memory's reader below
    }
    if (commit != null) {
      try {
        for (String file : commit.getFileNames()) {
          IndexDamage.ofFile(directory, file).ifPresent(damage::add);
          if (file.endsWith(".si")) {
            committedSegments.add(file.substring(0, file.length() - 3));
          }
        }
      } catch (IOException e) {
        damage.add(new IndexDamage(commit.getSegmentsFileName(), IndexDamage.describe(e)));
      } finally {
        try {
          snapshots.release(commit);
        } catch (IOException | RuntimeException e) {
          // released on the next commit anyway
        }
      }
    }
    damage.addAll(verifyUncommitted(searchers, committedSegments));
    return damage;
  }

  /** Lucene's own {@code checkIntegrity} on the segments flushed since the last commit. */
  private static List<IndexDamage> verifyUncommitted(
      SearcherManager searchers, java.util.Set<String> committed) {
    List<IndexDamage> damage = new ArrayList<>();
    IndexSearcher s;
    try {
      s = searchers.acquire();
    } catch (IOException | RuntimeException e) {
      return List.of(new IndexDamage("reader", IndexDamage.describe(e)));
    }
    try {
      for (var leaf : s.getIndexReader().leaves()) {
        if (leaf.reader() instanceof org.apache.lucene.index.SegmentReader r
            && !committed.contains(r.getSegmentName())) {
          try {
            r.checkIntegrity();
          } catch (IOException | RuntimeException e) {
            damage.add(new IndexDamage(r.getSegmentName(), IndexDamage.describe(e)));
          }
        }
      }
    } finally {
      try {
        searchers.release(s);
      } catch (IOException | RuntimeException e) {
        // a reader of a closed index: nothing to give back
      }
    }
    return damage;
  }
}
