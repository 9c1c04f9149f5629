package dev.omem.index;

import dev.omem.domain.Category;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** Turns a {@link MemoryFilter} into a non-scoring Lucene query over the filter fields. */
final class LuceneFilters {
  private LuceneFilters() {}

  /** Memories that pass any of {@code filters} (one per space a search reads). */
  static Query anyOf(java.util.List<MemoryFilter> filters) {
    if (filters.size() == 1) {
      return of(filters.get(0));
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    filters.forEach(f -> b.add(of(f), Occur.SHOULD));
    b.setMinimumNumberShouldMatch(1);
    return b.build();
  }

  static Query of(MemoryFilter f) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new TermQuery(new Term(MemoryIndex.TENANT, f.tenantId())), Occur.FILTER);
    b.add(
        MemoryIndex.termSet(MemoryIndex.STATE, f.states().stream().map(MemoryState::wire).toList()),
        Occur.FILTER);
    if (!f.scopes().isEmpty()) {
      b.add(MemoryIndex.termSet(MemoryIndex.SCOPE, f.scopes()), Occur.FILTER);
    }
    if (!f.categories().isEmpty()) {
      b.add(
          MemoryIndex.termSet(
              MemoryIndex.CATEGORY, f.categories().stream().map(Category::wire).toList()),
          Occur.FILTER);
    }
    for (String tag : f.tags()) {
      b.add(new TermQuery(new Term(MemoryIndex.TAG, tag)), Occur.FILTER);
    }
    if (f.memoryType() != null) {
      b.add(new TermQuery(new Term(MemoryIndex.TYPE, f.memoryType().wire())), Occur.FILTER);
    }
    if (f.source() != null) {
      b.add(new TermQuery(new Term(MemoryIndex.SOURCE, f.source())), Occur.FILTER);
    }
    if (f.agentId() != null) {
      b.add(new TermQuery(new Term(MemoryIndex.AGENT, f.agentId())), Occur.FILTER);
    }
    if (f.createdAfter() != null || f.createdBefore() != null) {
      long lo = f.createdAfter() == null ? Long.MIN_VALUE : f.createdAfter().toEpochMilli();
      long hi = f.createdBefore() == null ? Long.MAX_VALUE : f.createdBefore().toEpochMilli() - 1;
      b.add(LongPoint.newRangeQuery(MemoryIndex.CREATED, lo, hi), Occur.FILTER);
    }
    return b.build();
  }
}
