package dev.omem.ingest;

import dev.omem.domain.Category;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default {@link FactExtractor}: regular rules, no model, no network.
 *
 * <p>Each user turn loses its code blocks and pasted tool output, is split into sentences, and each
 * sentence loses lead-ins ("remember that", "please note", "FYI", "btw"). A sentence is then
 * dropped when it is a question, a greeting, thanks or other chatter, a request for work ("can
 * you…", "please run…", "fix the…"), or a passing remark (hedges, plans, the state of a build); it
 * is kept when it matches one of the kinds below, strongest first.
 *
 * <p>Importance and confidence per kind are hand-set priors, not measured: how durable such a
 * statement usually is (importance) and how rarely the pattern fires on a sentence that is not a
 * fact (confidence, from the false positives seen while building the corpus in {@code
 * src/test/resources/extraction/corpus.json}):
 *
 * <pre>
 * kind        example                                   category          importance confidence
 * remember    "remember that the deploy script is …"    by classifier     0.80       0.90
 * profile     "my name is …", "I work at …"             profile           0.70       0.90
 * preference  "I prefer …", "I never …", "I use …"      preferences       0.70       0.90
 * decision    "we decided …", "we switched to …"        patterns*         0.75       0.85
 * correction  "use X, not Y", "… instead of …"          preferences*      0.75       0.80
 * convention  "always/never …", "we use …", "must …"    patterns*         0.65       0.80
 * setup       "the X is Y" with a path, port, version,
 *             command or schedule; "our X …"            by classifier     0.55       0.70
 * </pre>
 *
 * (* unless {@link CategoryClassifier} finds a profile or preference in the sentence.)
 *
 * <p>Assistant turns are ignored: what the assistant says about the user restates (and may
 * misquote) what the user said, which is already extracted from the user's own turn; what it says
 * about the project is its reading of files or tool output, often tentative or wrong, and rules
 * cannot tell a confirmed finding from a guess. Tool and system turns are never the user's word.
 */
public final class LocalRulesExtractor implements FactExtractor {
  private enum Kind {
    REMEMBER(0.80, 0.90),
    PROFILE(0.70, 0.90),
    PREFERENCE(0.70, 0.90),
    DECISION(0.75, 0.85),
    CORRECTION(0.75, 0.80),
    CONVENTION(0.65, 0.80),
    SETUP(0.55, 0.70);

    final double importance;
    final double confidence;

    Kind(double importance, double confidence) {
      this.importance = importance;
      this.confidence = confidence;
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int MIN_WORDS = 3;
  private static final int MAX_CHARS = 400;

  private static Pattern p(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  private static final Pattern CODE_FENCE = Pattern.compile("(?s)```.*?(```|$)");
  private static final Pattern SENTENCE_END =
      Pattern.compile("(?<=[.!?])[\"')]?\\s+(?=[\"'`(]?[A-Z0-9])");
  private static final Pattern BULLET = Pattern.compile("^\\s*([-*•>]|\\d+[.)])\\s+");

  /** Lines of pasted output: prompts, stack frames, diffs, log lines, tables. */
  private static final Pattern OUTPUT_LINE =
      p(
          "^\\s*(\\$ |# |at [\\w.$]+\\(|\\+\\+\\+|---|@@|[+-]\\s|\\||\\[(info|warn|error|debug)\\]"
              + "|(info|warn|warning|error|debug|trace|fatal)[:\\] ]|traceback|caused by|exception in"
              + "|npm (err|warn)|\\d{2}:\\d{2}:\\d{2}|\\d{4}-\\d{2}-\\d{2}[t ]\\d)");

  /** Lead-ins that wrap a fact; the first group marks an explicit "remember this". */
  private static final Pattern LEAD_IN =
      p(
          "^(?:(remember(?: that|:|,)?|please (?:note|remember)(?: that)?|note(?: that|:)"
              + "|keep in mind(?: that)?|don't forget(?: that)?|for the record,?|fyi[:,]?"
              + "|just so you know,?|for future reference,?|heads up[:,]?|important:)"
              + "|(btw,?|by the way,?|also,?|and|oh,? and|so,?|ok,? so|okay,? so|ok,|okay,"
              + "|actually,?|one more thing:?|one thing:|please))\\s+");

  private static final Pattern QUESTION =
      p(
          "^(what|why|how|where|when|which|who|whose|is|are|was|were|does|do(?! not)|did|should"
              + "|shall|could|can|would|will|have you|has|any idea|i wonder|i'm wondering)\\b");

  private static final Pattern REQUEST =
      p(
          "^(can|could|would|will) you\\b|^(let's|lets|let us|go ahead|help|show|tell|explain"
              + "|check|look|find|fix|run|make|write|add|create|list|update|change|remove|delete"
              + "|rename|refactor|implement|try|open|move|bump|install|set up|setup|commit|push"
              + "|review|test|debug|investigate|search|generate|build|start|stop|give|send"
              + "|revert|merge|rebase|clean|format|lint|document|edit|replace|convert|split"
              + "|rewrite|port|migrate|upgrade|downgrade|deploy|restart|print|read|paste|grab"
              + "|pull|fetch|dig|figure|double-check|sort|keep going|continue|proceed|now)\\b"
              + "|^(i need you|i want you|i'd like you|you should|you need|you can|you could"
              + "|we need to|i need to|next,? )\\b");

  private static final Pattern CHATTER =
      p(
          "^(hi|hello|hey|thanks|thank you|thx|ty|ok|okay|sure|yes|yeah|yep|no|nope|great|cool"
              + "|nice|perfect|awesome|sounds good|lgtm|got it|good (morning|night|job|catch)"
              + "|bye|hmm+|wait|oh|ah|lol|ugh|oops|sorry|no worries|never ?mind|whatever|wow"
              + "|alright|all right|right|exactly|correct|agreed|done|same|fine)\\b");

  /** Hedges, plans and remarks about the moment: not durable facts. */
  private static final Pattern PASSING =
      p(
          "^(i think|i guess|i believe|i suppose|maybe|perhaps|probably|i'm (going|trying"
              + "|looking|not sure|wondering|about to|still|getting|seeing|done)|i am (going|trying"
              + "|looking|not sure)|i was|i just|i'll|i will|i've been|let me|looks|seems|it seems"
              + "|that('s| is| was| looks| seems| worked| works| did)|this (is|looks|seems|was)"
              + " (great|weird|wrong|good|better|odd|fine|broken|bad|much)|it (works|worked|didn't"
              + "|doesn't|failed|fails|still|broke|crashed|looks)|here('s| is| are)|the (tests?|build"
              + "|ci|pipeline) (is|are) (still )?(failing|broken|red|green|passing|flaky)|don't worry"
              + "|don't bother|no need|the (bug|error|issue|problem|crash|failure|warning)s?)\\b"
              + "|\\b(right now|for now|at the moment|today|this time|again|temporarily|just now"
              + "|for a sec|in a minute)\\b");

  private static final Pattern PROFILE =
      p(
          "\\bmy name is\\b|\\bcall me \\w+|\\bi('m| am) an? (\\w+ ){0,2}(engineer|developer|dev"
              + "|designer|manager|lead|architect|student|consultant|sre|scientist|maintainer"
              + "|contractor|founder|cto)\\b|\\bi work (at|on|for|as|in)\\b|\\bi('m| am) based in"
              + "\\b|\\bi live in\\b|\\bmy (timezone|time zone|role|team|title|pronouns|handle"
              + "|github|email) (is|are)\\b|\\bi('m| am) (in|on) the [\\w-]+ team\\b"
              + "|\\bi('m| am) the (only|main|lead|sole|primary) \\w+|\\bi('m| am) (in|on) (utc|cet|pst|est|gmt)|\\bi('ve| have) been (coding|writing"
              + "|programming|working)");

  private static final Pattern PREFERENCE =
      p(
          "\\bi (really |strongly |much |generally |usually |definitely )?(prefer|like|love|hate"
              + "|dislike|can't stand|cannot stand|don't like|do not like|want all|want every"
              + "|avoid)\\b|\\bi (always|never|usually|tend to|mostly)\\b|\\bmy (favou?rite"
              + "|preferred|go-to|default)\\b|\\bwe (prefer|like|favou?r)\\b|^prefer\\b"
              + "|\\bi use (\\w+ )?\\w|\\bi'd rather\\b|\\bi('m| am) (a fan of|not a fan of)");

  private static final Pattern DECISION =
      p(
          "\\bwe('ve| have)? (just )?(decided|agreed|chose|settled on|went with|are going with"
              + "|'re going with|switched|moved|migrated|standardi[sz]ed on|dropped|deprecated"
              + "|replaced|picked)\\b|\\b(the )?decision (is|was)\\b|\\bwe('re| are) (moving"
              + "|switching|migrating) (to|off|away)\\b|\\b(was|were|has been|have been) (decided"
              + "|agreed)\\b|\\bfrom now on\\b|\\bgoing forward\\b");

  private static final Pattern CORRECTION =
      p(
          "^use \\S.*\\b(not|instead of|rather than|over)\\b|, not (the )?\\S|\\binstead of\\b"
              + "|\\brather than\\b|\\bnot \\S+,? but\\b|^(no|nope),? (it's|it is|we|the|use)\\b"
              + "|\\b(it's|it is) \\S+,? not \\S");

  private static final Pattern CONVENTION =
      p(
          "^(always|never|don't|do not|avoid|make sure to|be sure to|only)\\b"
              + "|\\b(always|never) (use|run|write|add|put|commit|push|call|import|merge|deploy"
              + "|edit|touch|mock|log|pin|squash|rebase|check in|include|return|throw)\\b"
              + "|\\bwe (always|never|usually|use|run|deploy|keep|follow|store|write|name|put|ship"
              + "|build|host|test|release|pin|require|target|squash|rebase|tag|vendor|lint"
              + "|format|review|merge|avoid|don't|do not|only|rely|publish|generate|manage"
              + "|track|document|support|develop|work|cut|gate|block)\\b|\\b(convention|the rule"
              + "|our rule|policy|standard) (is|here is)\\b|\\b(must|must not|mustn't|should"
              + " never|should always|shall not|may not)\\b|\\b(is|are) not allowed\\b"
              + "|\\b(requires?|needs?) (a |an |one |two )?(\\w+ )?(review|approval|sign-off)s?\\b"
              + "|\\bfollows? (the|our) (\\w+ )?(pattern|convention|format|style)\\b");

  private static final Pattern SETUP_SUBJECT =
      p(
          "^(the|our|all|each|every)\\b[\\w\\s./`'\"-]{0,60}?\\b(is|are|was|lives|live"
              + "|runs|run|uses|use|listens|sits|goes|leaves|needs|need|requires|expects|points"
              + "|defaults|has|have|contains|takes|starts|calls|reads|writes|comes|belongs|gets"
              + "|lands|happens|builds|deploys|targets|stores|talks|depends|lives)\\b"
              + "|^to [\\w\\s-]+, (use|run|call) |^[`\\w./-]+(\\s[`\\w./-]+){0,3} (is|are|lives|runs|listens|defaults|points"
              + "|contains|stores|requires) ");

  /** A path, port, version, command, env var, file name, URL or schedule: a set-up detail. */
  private static final Pattern SETUP_DETAIL =
      p(
          "`[^`]+`|\\b[\\w.-]+/[\\w./-]+|\\bport \\d+|:\\d{2,5}\\b|\\bv?\\d+(\\.\\d+)+\\b|\\b\\d+\\b"
              + "|\\b[\\w-]+\\.(java|kt|py|js|ts|tsx|go|rs|rb|yml|yaml|json|toml|xml|md|sh|sql|env"
              + "|gradle|lock|cfg|ini|conf|txt)\\b|\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b|https?://"
              + "|\\b(npm|pnpm|yarn|mvn|gradle|make|docker|kubectl|helm|terraform|cargo|go|pip"
              + "|poetry|uv|bundle|rake|just|bazel|pytest|jest|vitest)\\b|\\bevery (day|week"
              + "|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|night|sprint"
              + "|release)|\\b(daily|weekly|nightly|monthly)\\b|\\b(staging|production|prod|main"
              + "|master|develop) (branch|database|db|server|cluster|environment)?");

  private static final Pattern OUR_SUBJECT = p("^our\\b");

  @Override
  public List<Fact> extract(List<Turn> turns) {
    List<Fact> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Turn t : turns) {
      if (t == null || t.content() == null || !"user".equalsIgnoreCase(t.role())) {
        continue;
      }
      for (String sentence : sentences(t.content())) {
        Fact f = fact(sentence);
        if (f != null && seen.add(f.text().toLowerCase(Locale.ROOT))) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** The prose sentences of a turn: code blocks and pasted output lines removed. */
  static List<String> sentences(String text) {
    String prose = CODE_FENCE.matcher(text).replaceAll("\n");
    List<String> out = new ArrayList<>();
    for (String line : prose.split("\\R")) {
      if (line.isBlank() || OUTPUT_LINE.matcher(line).find() || line.startsWith("    ")) {
        continue;
      }
      String l = BULLET.matcher(line).replaceFirst("").strip();
      long letters = l.chars().filter(Character::isLetter).count();
      if (letters < l.length() / 2) {
        continue; // mostly symbols: a table row, a path list, a log fragment
      }
      for (String s : SENTENCE_END.split(l)) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  /** The fact a sentence states, or null when it states none. */
  static Fact fact(String sentence) {
    String s = sentence.strip();
    boolean explicit = false;
    for (int i = 0; i < 4; i++) {
      Matcher m = LEAD_IN.matcher(s);
      if (!m.find()) {
        break;
      }
      explicit |= m.group(1) != null;
      s = s.substring(m.end()).strip();
    }
    if (s.isEmpty()) {
      return null;
    }
    s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
    if (s.split("\\s+").length < MIN_WORDS || s.length() > MAX_CHARS) {
      return null;
    }
    if (s.endsWith("?") || s.endsWith(":") || QUESTION.matcher(s).find()) {
      return null;
    }
    if (CHATTER.matcher(s).find() || PASSING.matcher(s).find()) {
      return null;
    }
    Kind kind = kind(s, explicit);
    if (kind == null) {
      return null;
    }
    String text = s;
    return new Fact(
        text, category(kind, text), List.of(kind.tag()), kind.importance, kind.confidence);
  }

  private static Kind kind(String s, boolean explicit) {
    boolean request = REQUEST.matcher(s).find();
    if (PROFILE.matcher(s).find()) {
      return Kind.PROFILE;
    }
    if (PREFERENCE.matcher(s).find()) {
      return Kind.PREFERENCE;
    }
    if (DECISION.matcher(s).find()) {
      return Kind.DECISION;
    }
    if (CORRECTION.matcher(s).find() && !request) {
      return Kind.CORRECTION;
    }
    if (CONVENTION.matcher(s).find() && !request) {
      return Kind.CONVENTION;
    }
    if (request) {
      return null;
    }
    if (explicit) {
      return Kind.REMEMBER;
    }
    // "the X is Y" with a set-up detail; anything said of "our X" (our alerts, our staging db).
    if ((SETUP_SUBJECT.matcher(s).find() && SETUP_DETAIL.matcher(s).find())
        || OUR_SUBJECT.matcher(s).find()) {
      return Kind.SETUP;
    }
    return null;
  }

  private static Category category(Kind kind, String text) {
    Category c = CategoryClassifier.classify(text);
    return switch (kind) {
      case PROFILE -> Category.PROFILE;
      case PREFERENCE -> Category.PREFERENCES;
      case DECISION, CONVENTION ->
          c == Category.PROFILE || c == Category.PREFERENCES ? c : Category.PATTERNS;
      case CORRECTION -> c == Category.PROFILE ? c : Category.PREFERENCES;
      case REMEMBER, SETUP -> c;
    };
  }
}
