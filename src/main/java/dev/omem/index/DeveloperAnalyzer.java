package dev.omem.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * The BM25 analyzer, for memories and queries alike: English words as Lucene's {@code
 * EnglishAnalyzer} reads them (possessives, stop words, Porter stems), and the way developers write
 * identifiers, paths, flags, error codes and versions. {@code getUserById}, {@code
 * ERR_MODULE_NOT_FOUND}, {@code --no-verify}, {@code src/main/App.tsx} and {@code v1.2.3} are
 * indexed whole (unstemmed) and as their parts at the same position ({@link
 * IdentifierSplitFilter}), so "user by id" and "getUserById" both find {@code getUserById}, and the
 * whole form, rarer, ranks an exact mention first.
 */
public final class DeveloperAnalyzer extends Analyzer {

  /** Characters that join the parts of one identifier: {@code a_b a.b a-b a/b a:b a@b}. */
  static boolean isJoiner(int c) {
    return c == '_' || c == '.' || c == '-' || c == '/' || c == ':' || c == '@';
  }

  static boolean isApostrophe(int c) {
    return c == '\'' || c == '’';
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source =
        CharTokenizer.fromTokenCharPredicate(
            c -> Character.isLetterOrDigit(c) || isJoiner(c) || isApostrophe(c));
    TokenStream ts = new IdentifierSplitFilter(source);
    ts = new EnglishPossessiveFilter(ts);
    ts = new LowerCaseFilter(ts);
    ts = new StopFilter(ts, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    ts = new PorterStemFilter(ts);
    return new TokenStreamComponents(source, ts);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
