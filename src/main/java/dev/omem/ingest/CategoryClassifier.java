package dev.omem.ingest;

import dev.omem.domain.Category;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Picks a category for a memory stored without one, by the first matching rule. The rules read the
 * way people state such facts in coding sessions; when none matches, a statement about things is an
 * {@code entities} fact.
 */
public final class CategoryClassifier {
  private record Rule(Category category, Pattern pattern) {}

  private static final List<Rule> RULES =
      List.of(
          rule(
              Category.PREFERENCES,
              "\\b(i|we) (prefer|like|love|hate|dislike|want|always|never|usually)\\b"
                  + "|\\bprefer(s|red)?\\b|\\b(always|never) (use|write|run|add|put|do)\\b"
                  + "|\\bfavou?rite\\b|\\binstead of\\b|\\brather than\\b|, not \\w+"),
          rule(
              Category.PROFILE,
              "\\b(my name is|i am a|i'm a|i work (at|on|as|for)|i live|my (role|job|team|timezone)"
                  + "|i'm based|i am based|years of experience)\\b"),
          rule(
              Category.CASES,
              "\\b(fix(ed)?|bug|error|exception|crash(ed)?|fail(ed|s|ing)?|workaround|root cause"
                  + "|resolved|solved|stack ?trace|regression)\\b"),
          rule(
              Category.PATTERNS,
              "\\b(convention|pattern|we (decided|agreed)|the rule is|style guide|naming|"
                  + "architecture|always|never|must|should)\\b"),
          rule(
              Category.EVENTS,
              "\\b(yesterday|today|tomorrow|last (week|month|year)|next (week|month)|on (monday|"
                  + "tuesday|wednesday|thursday|friday|saturday|sunday)|released|deployed|"
                  + "shipped|launched|meeting|deadline|migrated|happened)\\b"
                  + "|\\b\\d{4}-\\d{2}-\\d{2}\\b"));

  private CategoryClassifier() {}

  private static Rule rule(Category c, String regex) {
    return new Rule(c, Pattern.compile(regex));
  }

  public static Category classify(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (Rule r : RULES) {
      if (r.pattern().matcher(t).find()) {
        return r.category();
      }
    }
    return Category.ENTITIES;
  }
}
