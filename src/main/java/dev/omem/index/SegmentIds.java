package dev.omem.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.ArrayUtil;

/**
 * The memories' ids of each segment, read from its stored fields once and kept while the segment
 * lives, for every search and the neighbour check every store makes. Read per hit, each id
 * decompressed its stored fields' block (up to 1,024 documents' ids) again: 17% of the check's
 * samples in a 100k store (issue 19, session 15's profile). Kept as one byte array and the ends of
 * the ids in it, about 40 bytes a document (3.8 MB for the 100k store; BENCHMARKS.md, session 16),
 * deleted documents included (a segment's documents never change). No index format step, unlike doc
 * values: existing indexes need no rebuild.
 */
final class SegmentIds {
  /** A segment's ids: id {@code d} is {@code bytes[ends[d - 1], ends[d])}, UTF-8. */
  private record Ids(byte[] bytes, int[] ends) {
    String get(int doc) {
      int from = doc == 0 ? 0 : ends[doc - 1];
      return new String(bytes, from, ends[doc] - from, StandardCharsets.UTF_8);
    }

    long size() {
      return bytes.length + 4L * ends.length;
    }
  }

  private final Map<Object, Ids> bySegment = new ConcurrentHashMap<>();

  /** The ids of {@code docs} (the reader's document numbers), in their order. */
  String[] ids(IndexReader reader, ScoreDoc[] docs) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    String[] out = new String[docs.length];
    for (int i = 0; i < docs.length; i++) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i].doc, leaves));
      out[i] = of(leaf.reader()).get(docs[i].doc - leaf.docBase);
    }
    return out;
  }

  /** Bytes the kept ids take (for the benchmark's memory figure and tests). */
  long bytes() {
    return bySegment.values().stream().mapToLong(Ids::size).sum();
  }

  /** Segments whose ids are kept. */
  int segments() {
    return bySegment.size();
  }

  private Ids of(LeafReader reader) throws IOException {
    IndexReader.CacheHelper core = reader.getCoreCacheHelper();
    if (core == null) {
      return read(reader);
    }
    Ids ids = bySegment.get(core.getKey());
    if (ids == null) {
      // Two checks may read a new segment at once; both answers are the same.
      ids = read(reader);
      if (bySegment.putIfAbsent(core.getKey(), ids) == null) {
        core.addClosedListener(bySegment::remove);
      }
    }
    return ids;
  }

  private static Ids read(LeafReader reader) throws IOException {
    // Lucene's merge instance keeps a block decompressed while its documents are read in order; the
    // plain reader decompressed each document's part of it again (most of a cold first read).
    StoredFields stored =
        reader instanceof CodecReader c
            ? c.getFieldsReader().getMergeInstance()
            : reader.storedFields();
    Set<String> only = Set.of(MemoryIndex.ID);
    int[] ends = new int[reader.maxDoc()];
    byte[] bytes = new byte[Math.max(16, reader.maxDoc() * 36)];
    int at = 0;
    for (int d = 0; d < ends.length; d++) {
      String id = stored.document(d, only).get(MemoryIndex.ID);
      byte[] b = (id == null ? "" : id).getBytes(StandardCharsets.UTF_8);
      bytes = ArrayUtil.grow(bytes, at + b.length);
      System.arraycopy(b, 0, bytes, at, b.length);
      at += b.length;
      ends[d] = at;
    }
    return new Ids(ArrayUtil.copyOfSubArray(bytes, 0, at), ends);
  }
}
