package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.MemoryFilter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour check's ids, kept per segment: the stored ones, and dropped with the segment. */
class SegmentIdsTest {
  @TempDir Path dir;

  @Test
  void everyDocumentOfEverySegmentGetsItsStoredId() throws Exception {
    SegmentIds ids = new SegmentIds();
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int i = 0; i < 90; i++) {
        w.addDocument(doc("m-" + i + (i % 7 == 0 ? "-ünïcode" : "")));
        if (i % 30 == 29) {
          w.flush(); // three segments
        }
      }
      w.deleteDocuments(new Term(MemoryIndex.ID, "m-40"));
      try (DirectoryReader r = DirectoryReader.open(w)) {
        assertEquals(3, r.leaves().size());
        ScoreDoc[] docs = new ScoreDoc[r.maxDoc()];
        for (int doc = 0; doc < docs.length; doc++) {
          docs[doc] = new ScoreDoc(docs.length - 1 - doc, 0f); // out of order, across segments
        }
        String[] got = ids.ids(r, docs);
        for (int i = 0; i < docs.length; i++) {
          assertEquals(r.storedFields().document(docs[i].doc).get(MemoryIndex.ID), got[i]);
        }
        assertEquals(3, ids.segments());
        assertTrue(ids.bytes() > 90 * 4, "the ids' bytes are counted");
      }
    }
    // The writer keeps its segments open beside the reader; closed with it, they are gone.
    assertEquals(0, ids.segments(), "a closed segment's ids were kept");
  }

  @Test
  void theCheckNamesTheSameMemoriesAsTheSearchAcrossSegments() throws Exception {
    TestVectors vectors = new TestVectors(32, 5);
    MemoryFilter all = MemoryFilter.builder("t").scopes(Set.of("global")).build();
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      long seq = 0;
      for (int batch = 0; batch < 4; batch++) {
        for (int i = 0; i < 20; i++) {
          index.upsert(vectors.stored("t", "global", vectors.near(query, 0.1f + i * 0.03f)), "m");
        }
        index.markApplied(seq += 20);
        index.refresh();
      }
      for (int i = 0; i < 10; i++) {
        float[] q = vectors.near(query, 0.2f);
        assertEquals(
            ids(index.searchVector(q, List.of(all), 10)),
            ids(index.searchVectorUnread(q, List.of(all), 10)));
      }
      assertTrue(index.neighbourIdBytes() > 0, "the check read the ids per hit, not per segment");
    }
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }

  private static Document doc(String id) {
    Document d = new Document();
    d.add(new StringField(MemoryIndex.ID, id, Field.Store.YES));
    return d;
  }
}
