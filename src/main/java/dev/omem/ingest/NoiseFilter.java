package dev.omem.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides whether a candidate fact is low-value noise before it is stored, whichever extractor
 * produced it: the local rules already skip most chatter, an LLM extractor is prone to writing "The
 * user thanked the assistant" or "The tests pass now" as facts.
 *
 * <p>Two tests, cheapest first. Rules: too short, no content word, a greeting/thanks/
 * acknowledgement, a question, status chatter ("let me check", "running the tests now"), a request
 * for the moment ("fix the lint errors"; not a standing rule: "please never…" stays), a hedge ("I
 * think it might be…"), a line that introduces a paste ("the build fails with this:"), a statement
 * about the conversation itself ("the user asked…"), transient state ("the build is red"), pasted
 * tool output, stack traces, file listings and bare code. Then similarity: the character-trigram
 * cosine to the closest line of {@code ingest/noise-exemplars.txt}; at or above {@link
 * #DEFAULT_SIMILARITY} the text is noise. The exemplars catch paraphrases no rule names, and adding
 * a line there needs no code change.
 *
 * <p>Cost: a few microseconds a fact (an inverted index over the exemplars' trigrams); {@code
 * NoiseFilterTest} prints the figure.
 */
public final class NoiseFilter {
  /**
   * Why a text is noise, or {@link #KEEP}.
   *
   * @param noise whether the text should be dropped
   * @param reason a short phrase for the ingest trace ("question", "like noise exemplar …")
   */
  public record Verdict(boolean noise, String reason) {
    public static final Verdict KEEP = new Verdict(false, "kept");

    static Verdict noise(String reason) {
      return new Verdict(true, reason);
    }
  }

  /** The exemplar list shipped in the jar. */
  public static final String EXEMPLARS_RESOURCE = "/ingest/noise-exemplars.txt";

  /**
   * Trigram cosine at or above which a text counts as a paraphrase of a noise exemplar. Measured on
   * the user sentences of {@code src/test/resources/extraction/corpus.json} with the exemplars
   * alone ({@code scripts/bench-extraction --sweep}): the sentences of expected facts reach at most
   * 0.49, so 0.45 drops one of 32 and 0.50 none; of the 51 other sentences 0.50 drops 9, 0.55 drops
   * 7, 0.60 drops 4. 0.55 keeps a margin above the facts; the rules catch the rest.
   */
  public static final double DEFAULT_SIMILARITY = 0.55;

  /**
   * Fewer than 3 words cannot say who uses what how ("use pnpm" is the shortest useful fact and an
   * extractor restates it as a sentence); the local rules use the same floor.
   */
  static final int MIN_WORDS = 3;

  private static Pattern p(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  private static final Pattern GREETING_OR_THANKS =
      p(
          "^(hi|hello|hey|yo|hiya|good (morning|afternoon|evening|night)|morning|thanks|thank you"
              + "|thx|ty|cheers|bye|see you|ok|okay|sure|yes|yeah|yep|no|nope|great|cool|nice"
              + "|perfect|awesome|sounds good|lgtm|got it|noted|understood|will do|makes sense"
              + "|fair enough|all good|no worries|sorry|oops|my bad|agreed|exactly|right|alright"
              + "|done|hmm+|wait|oh|ah|ugh|wow|lol)\\b");

  /** Subject-auxiliary inversion or an interrogative: asks, does not state. */
  private static final Pattern QUESTION =
      p(
          "^(what|why|how|where|when|which|who)('s|'re|\\s+(is|are|was|were|do|does|did|can|could"
              + "|would|should|will|has|have|about|if|happens|happened|went|causes|makes)\\b)"
              + "|^(is|are|was|were|does|did|do|can|could|would|will|should|shall|have|has)"
              + " (it|this|that|there|the|we|you|i|they|he|she|my|our|your|anyone|anything)\\b"
              + "|^(any idea|i wonder|i'm wondering|not sure (why|what|how|if))\\b");

  /** Intentions and progress reports: about the next minutes, not about the project. */
  private static final Pattern STATUS =
      p(
          "^(let me|lemme|let's see|i('ll| will) (?!always|never|only)|i('m| am) (going to|gonna"
              + "|about to|trying|looking|checking|still|now|currently|working on)|going to|gonna"
              + "|on it|one (sec|moment|minute)|give me a|hold on|brb|be right back|almost done"
              + "|all done|working on it|still (running|waiting|failing|working|looking|checking"
              + "|broken)|now (running|checking|looking|trying|testing))\\b"
              + "|^(running|checking|looking (at|into)|trying|retrying|investigating|debugging"
              + "|fixing|testing|waiting( for)?|digging into|rerunning|restarting|rebuilding)\\b"
              + ".{0,60}\\b(now|first|again|quickly|real quick|for a (sec|moment|bit)|in a (sec"
              + "|minute|moment)|then)[.!…]*$");

  /** A task for the agent right now: an imperative of work, or anything said "please". */
  private static final Pattern REQUEST =
      p(
          "^(now |ok,? |okay,? |so,? |then,? )?(fix|find|add|create|write|refactor|commit|open"
              + "|start|rebase|search|remove|delete|install|show|explain|generate|look|check|bump"
              + "|rename|implement|update|convert|set up|debug|investigate|review|load|try|run"
              + "|deploy|revert|go ahead|continue|proceed|keep going|tell me|give me|paste|print"
              + "|rerun|restart|undo|redo|split|move|let's|lets|let us)\\b|\\bplease\\b|\\bpls\\b");

  /** What makes an instruction a standing rule rather than a task: it stays (a convention). */
  private static final Pattern STANDING =
      p(
          "\\b(always|never|every|whenever|each time|before|instead|rather than|don't|do not"
              + "|from now on|going forward|in future|not \\w+,? but)\\b");

  /** A guess or a doubt: the user is thinking aloud, not stating. */
  private static final Pattern HEDGE =
      p(
          "^(i think|i guess|i suspect|i suppose|i believe|i feel like|maybe|perhaps|probably"
              + "|possibly|not sure|no idea)\\b");

  /** What an extractor says about the conversation rather than about the user or the project. */
  private static final Pattern ABOUT_THE_CHAT =
      p(
          "^(the )?(user|assistant|agent|ai|model|claude|we|i)\\b.{0,30}\\b(asked|asks|requested"
              + "|requests|thanked|thanks|greeted|said (hi|hello|thanks|ok)|is asking|was asking"
              + "|wants (me|you|the assistant|the agent|help) to|needs help|is (currently )?"
              + "(working on|debugging|trying|looking|investigating)|suggested|will (now )?(run"
              + "|check|look|fix|try)|ran|opened|looked at)\\b"
              + "|^(the )?(conversation|session|discussion|chat) (was|is) about\\b");

  /** True for a moment, stale the next day: the state of a build, a test run, a server. */
  private static final Pattern TRANSIENT =
      p(
          "^(the |my |our |all )?(unit |integration |e2e )?(tests?|build|ci|pipeline|deploy"
              + "|deployment|job|server|app|pod|container|branch|pr|check)s? (is |are |was |were"
              + "|keeps |just )?(still |now |currently |finally )?(failing|failed|broken|red|green"
              + "|passing|passed|pass|fail|down|crashing|crashed|restarting|hanging|stuck|timing out"
              + "|timed out|running|working|fixed)\\b"
              + "|\\b(right now|at the moment|just now|for the moment)\\b"
              + "|^it (works|worked|fails|failed|crashed|broke|is working|is broken)\\b");

  /** One line of pasted output. */
  private static final Pattern OUTPUT_LINE =
      p(
          "^\\s*(at [\\w.$<>]+\\(.*\\)|traceback \\(most recent|exception in thread|caused by:"
              + "|file \".*\", line \\d+|[\\w.]*(exception|error)(: |$)|\\$ |> |npm (err|warn)"
              + "|\\[(info|warn|warning|error|debug|trace)\\]|(error|warning|fatal|panic)(\\[\\w+\\])?:"
              + "|[\\w./-]+:\\d+(:\\d+)?: (error|warning|note)|[-dl][rwx-]{9}\\s|total \\d+$"
              + "|\\d{4}-\\d{2}-\\d{2}[t ]\\d{2}:\\d{2}|\\d{2}:\\d{2}:\\d{2}[.,]\\d|build (success"
              + "|failure|successful|failed)|tests run: \\d+|-{3,}|={3,}|\\+{3} |@@ |\\d+ \\|)");

  /**
   * A test runner's summary: two counts with outcomes ("12 passed, 1 failed", "48 tests, 0 f…").
   */
  private static final Pattern TEST_SUMMARY =
      p(
          "\\b\\d+ (tests?|examples?|passed|passing|failed|failing|failures?|errors?|skipped"
              + "|ignored|pending|ok)\\b.{0,30}\\b\\d+ (passed|passing|failed|failing|failures?"
              + "|errors?|skipped|ignored|pending)\\b");

  /** How a line of code starts or ends. */
  private static final Pattern CODE_LINE =
      p(
          "^\\s*(import |from \\S+ import |package [\\w.]+;|def \\w+\\(|class \\w+[:({ ]|public "
              + "|private |protected |function \\w*\\(|const \\w+ = |let \\w+ = |var \\w+ = |fn \\w+"
              + "|func \\w+|#include|select .* from |insert into |return |if \\(|for \\(|while \\("
              + "|}|\\{|<\\w+[ />])|[;{]\\s*$");

  private static final Pattern CODE_FENCE = Pattern.compile("(?s)```.*?(```|$)");

  private record Posting(int exemplar, int count) {}

  private final List<String> exemplars;
  private final double[] exemplarNorms;
  private final Map<String, List<Posting>> postings = new HashMap<>();
  private final double similarity;

  /** The shipped exemplars and threshold. */
  public NoiseFilter() {
    this(loadExemplars(), DEFAULT_SIMILARITY);
  }

  /**
   * @param exemplars noise lines to compare with
   * @param similarity trigram cosine in (0, 1] at or above which a text is noise
   */
  public NoiseFilter(List<String> exemplars, double similarity) {
    if (!(similarity > 0 && similarity <= 1)) {
      throw new IllegalArgumentException("similarity must be in (0, 1], got " + similarity);
    }
    this.exemplars = List.copyOf(exemplars);
    this.similarity = similarity;
    this.exemplarNorms = new double[this.exemplars.size()];
    for (int i = 0; i < this.exemplars.size(); i++) {
      Map<String, Integer> v = Trigrams.of(this.exemplars.get(i));
      exemplarNorms[i] = Trigrams.norm(v);
      for (Map.Entry<String, Integer> e : v.entrySet()) {
        postings
            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .add(new Posting(i, e.getValue()));
      }
    }
  }

  /** The lines of {@link #EXEMPLARS_RESOURCE}, comments and blank lines left out. */
  public static List<String> loadExemplars() {
    try (InputStream in = NoiseFilter.class.getResourceAsStream(EXEMPLARS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(EXEMPLARS_RESOURCE + " is missing from the jar");
      }
      List<String> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          out.add(l);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code text} is noise. */
  public boolean isNoise(String text) {
    return check(text).noise();
  }

  /** Whether {@code text} is noise, and why. */
  public Verdict check(String text) {
    if (text == null || text.isBlank()) {
      return Verdict.noise("empty");
    }
    String t = text.strip();
    Verdict output = output(t);
    if (output != null) {
      return output;
    }
    String prose = CODE_FENCE.matcher(t).replaceAll(" ").strip();
    List<String> words = ContentWords.words(prose);
    if (words.size() < MIN_WORDS) {
      return Verdict.noise("too short");
    }
    if (words.stream().noneMatch(ContentWords::isContent)) {
      return Verdict.noise("no content words");
    }
    String s = prose.replaceFirst("^[\\s*>•-]+", "");
    if (GREETING_OR_THANKS.matcher(s).find() && ContentWords.count(s) <= 3) {
      return Verdict.noise("greeting, thanks or acknowledgement");
    }
    if (s.endsWith(":")) {
      return Verdict.noise("introduces pasted text");
    }
    if (s.endsWith("?") || QUESTION.matcher(s).find()) {
      return Verdict.noise("question");
    }
    if (STATUS.matcher(s).find()) {
      return Verdict.noise("status chatter");
    }
    if (REQUEST.matcher(s).find() && !STANDING.matcher(s).find()) {
      return Verdict.noise("request for the moment");
    }
    if (HEDGE.matcher(s).find()) {
      return Verdict.noise("hedge or guess");
    }
    if (ABOUT_THE_CHAT.matcher(s).find()) {
      return Verdict.noise("about the conversation");
    }
    if (TRANSIENT.matcher(s).find()) {
      return Verdict.noise("transient state");
    }
    return similar(s);
  }

  /** Tool output, a stack trace, a file listing or bare code; null when it is prose. */
  private static Verdict output(String t) {
    if (TEST_SUMMARY.matcher(t).find()) {
      return Verdict.noise("tool output");
    }
    String[] lines = t.split("\\R");
    int output = 0;
    int code = 0;
    int nonBlank = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      nonBlank++;
      if (OUTPUT_LINE.matcher(line).find()) {
        output++;
      } else if (CODE_LINE.matcher(line).find()) {
        code++;
      }
    }
    // Half the lines is the line the local rules draw for a pasted table or log, too.
    if (output * 2 >= nonBlank && output > 0) {
      return Verdict.noise(t.contains("\n") ? "tool output or stack trace" : "tool output");
    }
    if ((output + code) * 2 >= nonBlank && code > 0) {
      return Verdict.noise("code");
    }
    String stripped = CODE_FENCE.matcher(t).replaceAll(" ");
    if (stripped.isBlank()) {
      return Verdict.noise("code");
    }
    // A file listing or a path list: most tokens are paths or file names, hardly any prose word.
    String[] tokens = stripped.strip().split("\\s+");
    int pathLike = 0;
    int prose = 0;
    for (String tok : tokens) {
      if (tok.matches(".*[/\\\\].*|[\\w-]+\\.[a-z0-9]{1,5}")) {
        pathLike++;
      } else if (tok.matches("[a-zA-Z]+[,.;:!]?")) {
        prose++;
      }
    }
    if (tokens.length >= 2 && pathLike * 2 > tokens.length && prose < 3) {
      return Verdict.noise("file listing");
    }
    // Symbols everywhere and few plain words: a code fragment or a log line.
    long symbols = stripped.chars().filter(c -> "{}()[];=<>|&$#@\\".indexOf(c) >= 0).count();
    if (symbols * 8 > stripped.length() && prose * 2 < tokens.length) {
      return Verdict.noise("code");
    }
    return null;
  }

  /** Noise when the closest exemplar is at least {@link #similarity} alike. */
  private Verdict similar(String s) {
    Map<String, Integer> v = Trigrams.of(s);
    double norm = Trigrams.norm(v);
    if (norm == 0 || exemplars.isEmpty()) {
      return Verdict.KEEP;
    }
    double[] dot = new double[exemplars.size()];
    for (Map.Entry<String, Integer> e : v.entrySet()) {
      List<Posting> ps = postings.get(e.getKey());
      if (ps != null) {
        for (Posting p : ps) {
          dot[p.exemplar()] += (double) e.getValue() * p.count();
        }
      }
    }
    int best = -1;
    double bestCos = 0;
    for (int i = 0; i < dot.length; i++) {
      double cos = dot[i] / (norm * exemplarNorms[i]);
      if (cos > bestCos) {
        bestCos = cos;
        best = i;
      }
    }
    if (best >= 0 && bestCos >= similarity) {
      return Verdict.noise(
          String.format(
              Locale.ROOT, "like noise exemplar \"%s\" (%.2f)", exemplars.get(best), bestCos));
    }
    return Verdict.KEEP;
  }

  /** The closest exemplar's cosine to {@code text}: for tuning and tests. */
  double closestSimilarity(String text) {
    Map<String, Integer> v = Trigrams.of(text);
    double norm = Trigrams.norm(v);
    double best = 0;
    for (int i = 0; i < exemplars.size(); i++) {
      best = Math.max(best, Trigrams.cosine(text, exemplars.get(i)));
    }
    return norm == 0 ? 0 : best;
  }
}
