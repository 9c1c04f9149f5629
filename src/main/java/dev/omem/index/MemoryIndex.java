package dev.omem.index;

import dev.omem.config.HomePermissions;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.VectorModel;
import dev.omem.store.StoredMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.Similarity.SimScorer;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene index, a cache derived from SQLite (DESIGN.md decision 1): BM25 over the text, an HNSW
 * vector field, and filter fields. It records in its commit data the last change-log sequence
 * number it holds, so a restart knows where to catch up from.
 *
 * <p>Over 400 lines because one Lucene index's writer, searcher and the field schema both must
 * agree on, and every search (BM25, the vector lists, the neighbour check) is answered over the
 * same reader with the same snapshot of its unread writes ({@code overReader}). Splitting the
 * searches out (they share the reader, the snapshot, the ids and the reopen) is left for later.
 */
public final class MemoryIndex implements AutoCloseable {
  static final String ID = "id";
  static final String TEXT = "text";
  static final String VECTOR = "vec";
  static final String TENANT = "tenant";
  static final String STATE = "state";
  static final String CATEGORY = "category";
  static final String TAG = "tag";
  static final String SCOPE = "scope";
  static final String AGENT = "agent";
  static final String TYPE = "type";
  static final String SOURCE = "source";
  static final String CREATED = "created";
  private static final String SEQ_KEY = "omem.seq";

  /**
   * How this build analyzes and indexes memories, in the commit data. An index written with another
   * format (or before formats were recorded: none) is rebuilt once from SQLite when opened. 2: the
   * {@link DeveloperAnalyzer} (identifiers whole and in parts) replaced Lucene's EnglishAnalyzer.
   */
  static final String FORMAT_KEY = "omem.format";

  static final String FORMAT = "2";
  private static final int MAX_QUERY_TERMS = 256;

  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer;
  private final SnapshotDeletionPolicy snapshots;
  private final SearcherManager searchers;
  private final Analyzer analyzer = new DeveloperAnalyzer();
  private volatile long appliedSeq;
  private volatile long committedSeq;
  private final String format;

  /** Counts {@link #markApplied} calls: writes that a reader opened earlier may not show. */
  private final AtomicLong writeGeneration = new AtomicLong();

  /** The write generation the current reader shows (every write up to it, at least). */
  private volatile long readerGeneration;

  private final Object refreshLock = new Object();

  /** What the reader does not show yet, for {@link #searchVectorUnread}. */
  private final UnreadWrites unread = new UnreadWrites();

  /** Guarded by {@link #refreshLock}. */
  private long reopens;

  /** The mean vector the vector retriever centres its query on (issue 19, session 13). */
  private final StoreCentroid centroid = new StoreCentroid(VECTOR);

  /** The neighbour check's filter per segment, for {@link #searchVectorUnread}. */
  private final NeighbourFilterCache neighbourFilters = new NeighbourFilterCache();

  /**
   * The ids per segment, for every search and the neighbour check: no stored-field read per hit.
   */
  private final SegmentIds segmentIds = new SegmentIds();

  private MemoryIndex(
      Path dir, Directory directory, IndexWriter writer, SnapshotDeletionPolicy snapshots)
      throws IOException {
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
    this.snapshots = snapshots;
    this.searchers = new SearcherManager(writer, null);
    Map<String, String> data = new HashMap<>();
    writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
    this.appliedSeq = Long.parseLong(data.getOrDefault(SEQ_KEY, "0"));
    this.committedSeq = appliedSeq;
    this.format = data.get(FORMAT_KEY);
  }

  /**
   * Opens the index in {@code dir}, creating it if absent. Throws {@link IOException} when what is
   * there cannot be read (the caller then rebuilds it from SQLite).
   */
  public static MemoryIndex open(Path dir) throws IOException {
    HomePermissions.createPrivateDir(dir);
    Directory d = new PrivateDirectory(FSDirectory.open(dir));
    try {
      IndexWriterConfig cfg = new IndexWriterConfig(new DeveloperAnalyzer());
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      cfg.setCommitOnClose(true);
      // Lucene's default policy, made able to pin the last commit while its files are verified.
      SnapshotDeletionPolicy snapshots =
          new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
      cfg.setIndexDeletionPolicy(snapshots);
      cfg.setMergePolicy(mergePolicy());
      cfg.setCodec(codec(HNSW_MAX_CONN, HNSW_BEAM_WIDTH));
      // Every reader reopen flushes a segment of a few documents; packing it into a compound
      // file copied and checksummed all its files again, 10 of the 36 reopen samples in a JFR
      // profile of main under the team load (issue 19, session 14). The index holds tens of
      // segments, so the open files it saves are not needed.
      cfg.setUseCompoundFile(false);
      IndexWriter w = new IndexWriter(d, cfg);
      try {
        MemoryIndex idx = new MemoryIndex(dir, d, w, snapshots);
        // Open every segment now, so damage shows here and not in the first search.
        idx.searchers.maybeRefreshBlocking();
        return idx;
      } catch (IOException | RuntimeException e) {
        w.rollback();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** Deletes everything in {@code dir} so that {@link #open} starts an empty index. */
  public static void wipe(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.deleteIfExists(dir); // a file where the folder should be
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * Merges for a daemon that mostly writes: each reader reopen flushes a small segment. Segments
   * under 1 MB count as 1 MB, so the flushed ones (64 memories are about 0.1 MB) are merged ten at
   * a time among themselves, and a store's big segments, which weigh more, stay out of those
   * merges. The 16 MB floor sessions 12-15 shipped counted a whole 10k store's segments (11 MB and
   * 5 MB in the paraphrase-10000 store) as small too, and a replay of 640 writes reopened every 64
   * on that store merged all 10,206 documents into one segment, its HNSW graph built again
   * (`MergeReplayBench`, 3.6-4.1 s of CPU against 1.7 s with this floor, which merged only the 493
   * documents of the small segments; issue 19, session 16). Merged segments are not packed into
   * compound files either (the flushed ones are not: {@link #open}); everything else stays Lucene's
   * default.
   */
  static TieredMergePolicy mergePolicy() {
    TieredMergePolicy p = new TieredMergePolicy();
    p.setFloorSegmentMB(1);
    p.setNoCFSRatio(0);
    return p;
  }

  /**
   * HNSW's neighbours per node (Lucene's default, 16). The graphs serve only the neighbour check: a
   * search scores exactly ({@link NearestVectorsQuery#EXACT_MAX}).
   */
  static final int HNSW_MAX_CONN = 16;

  /**
   * HNSW's candidates per insertion (Lucene's default, 100), kept: on the 10k paraphrase store a
   * beam of 32 saved 30% of the build CPU but lost 0.034 of the neighbour check's recall@5
   * (HnswBuildBench, session 17, BENCHMARKS.md).
   */
  static final int HNSW_BEAM_WIDTH = 100;

  /**
   * Lucene's default codec with HNSW built with {@code maxConn} and {@code beamWidth}. The format's
   * name does not change with them, so an index written with other values opens as it is; only
   * graphs built from now on (flushes, merges) use these.
   */
  static Codec codec(int maxConn, int beamWidth) {
    KnnVectorsFormat vectors = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
      }
    };
  }

  public Path dir() {
    return dir;
  }

  /** The newest change-log entry this index holds (searchable, maybe not yet committed). */
  public long appliedSeq() {
    return appliedSeq;
  }

  /**
   * Whether this index was written the way this build writes one ({@link #FORMAT}); an empty new
   * index is. One that is not must be rebuilt: its terms would not match this build's queries.
   */
  public boolean currentFormat() {
    return FORMAT.equals(format) || (format == null && appliedSeq == 0 && count() == 0);
  }

  /** The newest change-log entry that is durable on disk. */
  public long committedSeq() {
    return committedSeq;
  }

  /** Adds or replaces a memory's document; {@code model} is the only vector model accepted. */
  public void upsert(StoredMemory s, String model) {
    try {
      writer.updateDocument(new Term(ID, s.memory().id()), document(s, model));
      unread.written(
          s.memory().id(),
          s.memory(),
          indexedVector(s, model),
          UnreadText.of(analyzer, TEXT, s.memory().content()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String id) {
    try {
      writer.deleteDocuments(new Term(ID, id));
      unread.written(id, null, null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Records that every change up to {@code seq} is applied. The next search sees it, laid over the
   * reader it has ({@link UnreadWrites}); the reader is reopened later, for many writes at once
   * ({@link #refresh}, {@link #unreadWritesKept}), because reopening per write (flushing a tiny
   * segment, merging them) cost more than the rest of a store put together.
   */
  public void markApplied(long seq) {
    appliedSeq = Math.max(appliedSeq, seq);
    writeGeneration.incrementAndGet();
  }

  /** Makes everything applied durable; returns the sequence number now committed. */
  public long commit() {
    return commit(() -> {});
  }

  /**
   * As {@link #commit()}, running {@code storeDurable} once the sequence number to commit is read
   * and before the index holds it: the store's writes up to it are then durable before the index
   * says it holds them (the SQLite store's group commit answers a write only after its fsync, and
   * the index may apply a write before that).
   */
  public synchronized long commit(Runnable storeDurable) {
    long seq = appliedSeq;
    if (seq == committedSeq && !writer.hasUncommittedChanges()) {
      return committedSeq;
    }
    storeDurable.run();
    try {
      writer.setLiveCommitData(Map.of(SEQ_KEY, Long.toString(seq), FORMAT_KEY, FORMAT).entrySet());
      writer.commit();
      committedSeq = seq;
      return seq;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every document (before a rebuild). */
  public void clear() {
    try {
      writer.deleteAll();
      unread.cleared();
      appliedSeq = 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int count() {
    return withSearcher(s -> s.getIndexReader().numDocs());
  }

  /** BM25 over the text, best first. */
  public List<IndexHit> searchText(String query, MemoryFilter filter, int k) {
    return searchText(query, List.of(filter), k);
  }

  /**
   * BM25 over the memories any of {@code filters} selects (several spaces), one ranking: scores of
   * different spaces are comparable, as term statistics are the whole index's. Answered from the
   * reader as it is with the writes it does not show laid over it ({@link UnreadText}), scored as a
   * reopened reader would score them.
   */
  public List<IndexHit> searchText(String query, List<MemoryFilter> filters, int k) {
    // Distinct terms, capped: a 32 KB query must not exceed Lucene's clause limit (1024).
    List<String> terms = analyze(query).stream().distinct().limit(MAX_QUERY_TERMS).toList();
    if (terms.isEmpty()) {
      return List.of();
    }
    Query filter = cachedFilter(filters);
    List<IndexHit> overlaid =
        overReader((s, unread) -> textOverlaid(s, unread, terms, filters, filter, k));
    return overlaid != null ? overlaid : run(textQuery(terms, filter), k);
  }

  /** A search's filter, each segment's documents read once ({@link CachedFilter}). */
  private Query cachedFilter(List<MemoryFilter> filters) {
    return new CachedFilter(neighbourFilters.queryOf(filters), neighbourFilters);
  }

  private static Query textQuery(List<String> terms, Query filter) {
    return textQuery(terms, null, filter);
  }

  /** As {@link #textQuery(List, Query)}, with each term's states sought already (null: not). */
  private static Query textQuery(List<String> terms, TermStates[] states, Query filter) {
    BooleanQuery.Builder text = new BooleanQuery.Builder();
    for (int i = 0; i < terms.size(); i++) {
      Term t = new Term(TEXT, terms.get(i));
      text.add(states == null ? new TermQuery(t) : new TermQuery(t, states[i]), Occur.SHOULD);
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    q.add(text.build(), Occur.MUST);
    q.add(filter, Occur.FILTER);
    return q.build();
  }

  /** BM25 over the reader's documents that no unread write replaced, and over the unread ones. */
  private List<IndexHit> textOverlaid(
      IndexSearcher s,
      Map<String, UnreadWrites.Write> unread,
      List<String> terms,
      List<MemoryFilter> filters,
      Query filter,
      int k)
      throws IOException {
    if (unread.isEmpty()) {
      return collect(s, textQuery(terms, filter), k);
    }
    // In the order they were written: a reopened reader breaks ties by document order.
    List<UnreadWrites.Write> written =
        unread.values().stream()
            .filter(w -> w.text() != null)
            .sorted(Comparator.comparingLong(UnreadWrites.Write::stamp))
            .toList();
    IndexSearcher both =
        UnreadText.searcher(
            s.getIndexReader(),
            new UnreadText.Overlay(TEXT, written.stream().map(UnreadWrites.Write::text).toList()));
    TermStates[] states = UnreadText.states(both, TEXT, terms);
    List<IndexHit> out =
        new ArrayList<>(
            collect(both, textQuery(terms, states, excluding(filter, unread.keySet())), k));
    SimScorer[] scorers = UnreadText.scorers(both, TEXT, terms, states);
    for (UnreadWrites.Write w : written) {
      if (w.memory() != null && UnreadWrites.anyMatches(filters, w.memory())) {
        float score = UnreadText.score(w.text(), terms, scorers);
        if (!Float.isNaN(score)) {
          out.add(new IndexHit(w.memory().id(), score));
        }
      }
    }
    out.sort(Comparator.comparingDouble(IndexHit::score).reversed()); // stable: reader's first
    return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
  }

  /** {@code filter} without the documents of {@code ids}: unread writes replaced them. */
  private static Query excluding(Query filter, java.util.Set<String> ids) {
    if (ids.isEmpty()) {
      return filter;
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    q.add(filter, Occur.FILTER);
    q.add(termSet(ID, ids), Occur.MUST_NOT);
    return q.build();
  }

  /** Nearest vectors by cosine (dot product of unit vectors), best first. */
  public List<IndexHit> searchVector(float[] vector, MemoryFilter filter, int k) {
    return searchVector(vector, List.of(filter), k);
  }

  /**
   * Nearest vectors among the memories any of {@code filters} selects, best first: exact up to
   * {@link NearestVectorsQuery#EXACT_MAX} memories a segment, where HNSW lost half the paraphrase
   * targets at 100k (issue 19, session 12). The unread writes are scored exactly beside the reader.
   */
  public List<IndexHit> searchVector(float[] vector, List<MemoryFilter> filters, int k) {
    Query filter = LuceneFilters.anyOf(filters);
    List<IndexHit> overlaid =
        overReader(
            (s, unread) ->
                UnreadWrites.overlay(
                    collect(s, nearest(vector, k, excluding(filter, unread.keySet())), k),
                    unread,
                    vector,
                    filters,
                    k));
    return overlaid != null ? overlaid : run(nearest(vector, k, filter), k);
  }

  private static Query nearest(float[] vector, int k, Query filter) {
    return new NearestVectorsQuery(VECTOR, vector, k, filter);
  }

  /**
   * The vector retriever's two lists of {@code k}: nearest by cosine, and nearest to the query
   * centred on the index's mean vector ({@link StoreCentroid}); every hit carries its plain cosine
   * to {@code vector} (what the relevance features and the floor read). One exact pass computes
   * both ({@link ExactVectorPools}); an index with a segment above {@link
   * NearestVectorsQuery#EXACT_MAX} runs two HNSW searches instead.
   */
  public VectorPools searchVectorPools(float[] vector, List<MemoryFilter> filters, int k) {
    Query filter = cachedFilter(filters);
    VectorPools overlaid =
        overReader(
            (s, unread) -> {
              if (unread.isEmpty()) {
                return pools(s, readerPools(s, vector, filter, k, List.of()));
              }
              ReadPools read =
                  readerPools(
                      s,
                      vector,
                      excluding(filter, unread.keySet()),
                      k,
                      UnreadWrites.vectors(unread));
              VectorPools hits = pools(s, read);
              return new VectorPools(
                  UnreadWrites.overlay(hits.plain(), unread, vector, filters, k, read.knn()),
                  UnreadWrites.overlayCentred(
                      hits.centred(),
                      read.centredRanks(),
                      unread,
                      vector,
                      read.centredRank(),
                      filters,
                      k),
                  null);
            });
    return overlaid != null
        ? overlaid
        : withSearcher(s -> pools(s, readerPools(s, vector, filter, k, List.of())));
  }

  /**
   * The reader's two lists as Lucene documents; {@code knn}: the plain list has kNN scores. {@code
   * centredRanks}: what ranked each of {@code centred}; {@code centredRank}: the same measure of a
   * vector the reader does not hold (an unread write), so that the overlay ranks both alike.
   */
  private record ReadPools(
      ScoreDoc[] plain,
      boolean knn,
      ScoreDoc[] centred,
      float[] centredRanks,
      ToDoubleFunction<float[]> centredRank) {}

  /** {@code read}'s documents as hits, each scored by its plain cosine. */
  private VectorPools pools(IndexSearcher s, ReadPools read) throws IOException {
    IndexReader r = s.getIndexReader();
    return new VectorPools(
        hits(read.plain(), segmentIds.ids(r, read.plain()), read.knn()),
        hits(read.centred(), segmentIds.ids(r, read.centred()), false),
        null);
  }

  /**
   * {@code unread}: the vectors of the writes the reader does not show yet, which the mean the
   * centred list is ranked by counts as a reopened reader would ({@link StoreCentroid}).
   */
  private ReadPools readerPools(
      IndexSearcher s, float[] vector, Query filter, int k, List<float[]> unread)
      throws IOException {
    boolean exact =
        s.getIndexReader().leaves().stream()
            .allMatch(l -> l.reader().maxDoc() <= NearestVectorsQuery.EXACT_MAX);
    if (exact) {
      ExactVectorPools.Pools p =
          ExactVectorPools.search(s, VECTOR, vector, filter, k, centroid, unread);
      return new ReadPools(
          p.plain(), false, p.centred(), p.centredRanks(), v -> p.centredRank(vector, v));
    }
    ScoreDoc[] plain = s.search(new NearestVectorsQuery(VECTOR, vector, k, filter), k).scoreDocs;
    float[] centred = centroid.centred(s.getIndexReader(), vector, unread);
    ScoreDoc[] docs = s.search(new NearestVectorsQuery(VECTOR, centred, k, filter), k).scoreDocs;
    float[] cosines = PlainCosines.of(s.getIndexReader(), VECTOR, vector, docs);
    ScoreDoc[] byCentred = new ScoreDoc[docs.length];
    float[] ranks = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      byCentred[i] = new ScoreDoc(docs[i].doc, cosines[i]);
      ranks[i] = docs[i].score * 2 - 1; // the kNN score (1 + dot) / 2, as UnreadWrites.cosine
    }
    return new ReadPools(plain, true, byCentred, ranks, v -> UnreadWrites.cosine(centred, v));
  }

  /**
   * Nearest vectors for the neighbour check every store makes, answered without reopening the
   * reader: the reader as it is, with the few writes it does not show yet laid over it ({@link
   * UnreadWrites}); reopens only when the unread writes are too many. HNSW where the filter passes
   * much of a segment, exact where it passes few ({@link NeighbourKnnQuery}), not {@link
   * #searchVector}'s exact scoring everywhere: that would add ~18 ms of CPU to every store at 100k
   * memories (issue 19's store goal is 8 ms). The filter comes from {@link NeighbourFilterCache},
   * not from the postings per check.
   */
  public List<IndexHit> searchVectorUnread(float[] vector, List<MemoryFilter> filters, int k) {
    List<IndexHit> overlaid =
        overReader(
            (s, snapshot) -> {
              int extra = snapshot.size();
              NeighbourKnnQuery q =
                  new NeighbourKnnQuery(
                      VECTOR, vector, k + extra, neighbourFilters.queryOf(filters));
              ScoreDoc[] found = q.search(s, neighbourFilters).scoreDocs;
              List<IndexHit> read = hits(found, segmentIds.ids(s.getIndexReader(), found), true);
              return UnreadWrites.overlay(read, snapshot, vector, filters, k);
            });
    return overlaid != null ? overlaid : searchVector(vector, filters, k);
  }

  private interface OverlaidWork<T> {
    T run(IndexSearcher s, Map<String, UnreadWrites.Write> unread) throws IOException;
  }

  /**
   * Runs {@code work} on the reader as it is and a snapshot of the writes it lacks, taken with no
   * reopen dropping writes between them (else again), without a lock: a search never waits for a
   * reopen (under the team load every store's check queued behind the searches' reopens, issue 19,
   * session 11). Null when the unread writes are too many or not all known: then reopen.
   */
  private <T> T overReader(OverlaidWork<T> work) {
    try {
      for (int attempt = 0; attempt < 3 && !unread.tooManyOrIncomplete(); attempt++) {
        long forgets = unread.forgets();
        IndexSearcher s = searchers.acquire();
        try {
          Map<String, UnreadWrites.Write> snapshot = unread.snapshot();
          if (forgets != unread.forgets() || unread.tooManyOrIncomplete()) {
            continue;
          }
          return work.run(s, snapshot);
        } finally {
          searchers.release(s);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  /** The analyzed terms of {@code text}, in order (stemmed, stop words dropped). */
  public List<String> analyze(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private List<IndexHit> run(Query q, int k) {
    return withSearcher(s -> collect(s, q, k));
  }

  private List<IndexHit> collect(IndexSearcher s, Query q, int k) throws IOException {
    ScoreDoc[] docs = s.search(q, k).scoreDocs;
    return hits(docs, segmentIds.ids(s.getIndexReader(), docs), q instanceof KnnFloatVectorQuery);
  }

  /** {@code docs} with their {@code ids}; {@code knn}: the scores are Lucene's kNN scores. */
  private static List<IndexHit> hits(ScoreDoc[] docs, String[] ids, boolean knn) {
    List<IndexHit> out = new ArrayList<>(docs.length);
    for (int i = 0; i < docs.length; i++) {
      // KNN on DOT_PRODUCT reports (1 + cos) / 2; report the cosine itself.
      float score = knn ? docs[i].score * 2 - 1 : docs[i].score;
      out.add(new IndexHit(ids[i], score));
    }
    return out;
  }

  private interface SearcherWork<T> {
    T run(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherWork<T> work) {
    try {
      refreshIfBehind();
      IndexSearcher s = searchers.acquire();
      try {
        return work.run(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reopens the reader now if a write was applied since it was opened: the writes are searchable.
   */
  public void refresh() {
    try {
      refreshIfBehind();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many segment filters the neighbour checks took from their cache (for tests). */
  long neighbourFilterHits() {
    return neighbourFilters.hits();
  }

  /** How many filter sets the neighbour checks cut by a segment's deletions (for tests). */
  long neighbourFilterCuts() {
    return neighbourFilters.cuts();
  }

  /** Segment filters read from the postings so far (for tests). */
  long neighbourFilterReads() {
    return neighbourFilters.reads();
  }

  /** Bytes the kept ids take (for tests and the benchmark's memory figure). */
  long neighbourIdBytes() {
    return segmentIds.bytes();
  }

  /** Whether the reader should be reopened: enough unread writes, or not all of them known. */
  boolean manyUnreadWrites() {
    return unread.size() >= UnreadWrites.REOPEN_AT || unread.tooManyOrIncomplete();
  }

  /** How many writes the reader does not show are kept for the neighbour check (for tests). */
  int unreadWritesKept() {
    return unread.size();
  }

  /** Whether the reader shows every applied write (for tests: that a search did not reopen). */
  boolean readerCurrent() {
    return readerGeneration >= writeGeneration.get();
  }

  /**
   * Reopens the reader if a write was applied since it was opened. A search that arrives while
   * another one is reopening waits for that reopen (and does its own if it still falls short):
   * every search sees every write acknowledged before it started, however many run at once. (A
   * single "stale" flag, cleared by the first search, let the others read the old reader.)
   */
  private void refreshIfBehind() throws IOException {
    long wanted = writeGeneration.get();
    if (readerGeneration >= wanted) {
      return;
    }
    synchronized (refreshLock) {
      if (readerGeneration >= wanted) {
        return;
      }
      // Read before reopening: every write counted here was in the writer before the reopen.
      long covered = writeGeneration.get();
      long stamp = unread.stamp();
      searchers.maybeRefreshBlocking();
      readerGeneration = covered;
      unread.forgetUpTo(stamp);
      reopens++;
    }
  }

  /** How many times the reader was reopened for writes since the index opened (for tests). */
  long reopens() {
    synchronized (refreshLock) {
      return reopens;
    }
  }

  /**
   * The vector a memory's document holds: only one of the index's model (made by any runtime: one
   * of another runtime serves until the background re-embed replaces it, {@link VectorModel}).
   */
  private static float[] indexedVector(StoredMemory s, String model) {
    return s.vector() != null && VectorModel.sameModel(model, s.model()) ? s.vector() : null;
  }

  private static Document document(StoredMemory s, String model) {
    Memory m = s.memory();
    Document d = new Document();
    d.add(new StringField(ID, m.id(), Field.Store.YES));
    d.add(new TextField(TEXT, m.content(), Field.Store.NO));
    float[] vector = indexedVector(s, model);
    if (vector != null) {
      d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    }
    d.add(new StringField(TENANT, m.tenantId(), Field.Store.NO));
    d.add(new StringField(STATE, m.state().wire(), Field.Store.NO));
    d.add(new StringField(CATEGORY, m.category().wire(), Field.Store.NO));
    d.add(new StringField(TYPE, m.memoryType().wire(), Field.Store.NO));
    d.add(new StringField(SCOPE, m.scope(), Field.Store.NO));
    for (String tag : m.tags()) {
      d.add(new StringField(TAG, tag, Field.Store.NO));
    }
    if (m.agentId() != null) {
      d.add(new StringField(AGENT, m.agentId(), Field.Store.NO));
    }
    if (m.source() != null) {
      d.add(new StringField(SOURCE, m.source(), Field.Store.NO));
    }
    d.add(new LongPoint(CREATED, m.createdAt().toEpochMilli()));
    return d;
  }

  /**
   * Verifies every file of the last commit against its Lucene checksum, and the segments written
   * since then; an empty list means no damage. Never throws: a check that cannot run is damage.
   */
  public List<IndexDamage> verify() {
    return IndexChecksums.verify(dir, directory, writer, snapshots, searchers);
  }

  /** Lets go of the writer, reader and files without committing, whatever state they are in. */
  public void abandonQuietly() {
    for (AutoCloseable c : List.<AutoCloseable>of(searchers, writer::rollback, directory)) {
      try {
        c.close();
      } catch (Exception e) {
        // a damaged index may fail to close; its files are about to be replaced
      }
    }
  }

  /** Closes without committing, as a crash would: for tests of recovery. */
  public void abandon() {
    try {
      searchers.close();
      writer.rollback();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      commit();
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Query termSet(String field, java.util.Collection<String> values) {
    List<BytesRef> refs = values.stream().map(BytesRef::new).toList();
    return new TermInSetQuery(field, refs);
  }
}
