package dev.omem.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private stays private (DESIGN.md decision 8): removes {@code <private>…</private>} spans and
 * redacts recognisable secrets from text before it is stored, indexed, logged or sent anywhere.
 * What is removed is replaced by a marker ({@code [PRIVATE]}, {@code [REDACTED:<kind>]}) so a
 * reader sees that something was there, never what.
 *
 * <p>Every pattern is compiled once and built to run in linear time: quantifiers are bounded or
 * possessive ({@code ++}, {@code {n,}+}), no quantified group contains another unbounded
 * quantifier, and each pattern starts with a look-behind that lets a match begin only at the start
 * of a token, so a long run of key-like characters is tried once, not at every offset.
 *
 * <p>Precision over recall for generic shapes: a bare 40-hex SHA-1, a 64-hex SHA-256, a git commit
 * id, a UUID or a base64 image is not a secret by shape alone (hashes are everywhere in a coding
 * conversation and redacting them would ruin memories), so only values with a provider's prefix, a
 * recognisable structure (PEM, JWT, URL credentials, Authorization headers) or the name of a secret
 * on the left of an assignment are redacted. {@code sk-} in prose ("sk-learn", "sk-image-toolkit")
 * survives: an OpenAI key body is 20+ characters of mixed-case letters and digits, which a
 * hyphenated word is not.
 *
 * <p>The class knows nothing of its callers; it is pure and thread-safe.
 */
public final class Redactor {
  /** The marker a removed {@code <private>} span leaves. */
  public static final String PRIVATE_MARKER = "[PRIVATE]";

  private Redactor() {}

  /** What {@link #redact} did: the clean text and how many of each kind it removed. */
  public record Redaction(String text, Map<String, Integer> counts) {
    public boolean changed() {
      return !counts.isEmpty();
    }

    /** True when nothing but markers and white space is left: the text was entirely private. */
    public boolean nothingLeft() {
      // Every marker holds a '[': a text without one has none to take out (most texts, every
      // store).
      return text.indexOf('[') < 0 ? text.isBlank() : MARKER.matcher(text).replaceAll("").isBlank();
    }
  }

  /** Shorthand for {@code redact(text).text()}. */
  public static String clean(String text) {
    return redact(text).text();
  }

  public static Redaction redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Redaction(text, Map.of());
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    String out = removePrivate(text, counts);
    for (Rule rule : RULES) {
      out = rule.apply(out, counts);
    }
    return new Redaction(out, Collections.unmodifiableMap(counts));
  }

  // ---- <private> spans ----

  /**
   * Opening and closing tags, case-insensitive, attributes allowed ({@code <private reason="x">}).
   * Spans are matched by depth rather than by one lazy regex so nested tags close at the right
   * place, an unclosed {@code <private>} removes everything after it (failing closed), and a stray
   * closing tag is dropped. One pass over the tags: linear.
   */
  private static final Pattern PRIVATE_TAG =
      Pattern.compile("<(/?)private(?:\\s[^<>]{0,200}+)?\\s*+>", Pattern.CASE_INSENSITIVE);

  private static String removePrivate(String text, Map<String, Integer> counts) {
    Matcher m = PRIVATE_TAG.matcher(text);
    StringBuilder sb = null;
    int copied = 0;
    int depth = 0;
    int spanStart = -1;
    while (m.find()) {
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      boolean closing = !m.group(1).isEmpty();
      if (!closing) {
        if (depth++ == 0) {
          spanStart = m.start();
        }
      } else if (depth > 0) {
        if (--depth == 0) {
          sb.append(text, copied, spanStart).append(PRIVATE_MARKER);
          copied = m.end();
          counts.merge("private", 1, Integer::sum);
        }
      } else { // a stray closing tag: drop the tag itself
        sb.append(text, copied, m.start());
        copied = m.end();
      }
    }
    if (sb == null) {
      return text;
    }
    if (depth > 0) { // unclosed: everything after the opening tag is private
      sb.append(text, copied, spanStart).append(PRIVATE_MARKER);
      counts.merge("private", 1, Integer::sum);
    } else {
      sb.append(text, copied, text.length());
    }
    return sb.toString();
  }

  // ---- secrets ----

  private static final Pattern MARKER = Pattern.compile("\\[(?:PRIVATE|REDACTED:[a-z_]{1,40}+)]");

  /**
   * One kind of secret: a pattern, the group holding the secret (0 = the whole match; the rest of
   * the match, such as a user name or a variable name, is kept), and a check on the secret that a
   * shape alone cannot express.
   */
  private record Rule(String kind, Pattern pattern, int group, Predicate<String> accept) {
    String apply(String text, Map<String, Integer> counts) {
      Matcher m = pattern.matcher(text);
      if (!m.find()) {
        return text;
      }
      StringBuilder sb = new StringBuilder(text.length());
      int copied = 0;
      do {
        int g = secretGroup(m);
        if (g < 0) {
          continue;
        }
        String secret = m.group(g);
        if (!accept.test(secret)) {
          continue;
        }
        sb.append(text, copied, m.start(g)).append("[REDACTED:").append(kind).append(']');
        copied = m.end(g);
        counts.merge(kind, 1, Integer::sum);
      } while (m.find());
      return copied == 0 ? text : sb.append(text, copied, text.length()).toString();
    }

    /** The group holding the secret; for alternatives (quoted or not) the first that matched. */
    private int secretGroup(MatchResult m) {
      if (group >= 0) {
        return group;
      }
      for (int i = 1; i <= m.groupCount(); i++) {
        if (m.start(i) >= 0 && i >= -group) {
          return i;
        }
      }
      return -1;
    }
  }

  private static Rule rule(String kind, String regex) {
    return new Rule(kind, Pattern.compile(regex), 0, s -> true);
  }

  private static Rule rule(String kind, String regex, int group, Predicate<String> accept) {
    return new Rule(kind, Pattern.compile(regex), group, accept);
  }

  /** Mixed-case letters and digits: a random key body, not a hyphenated word such as sk-learn. */
  private static boolean looksRandom(String s) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }

  private static boolean hasDigitAndLetter(String s) {
    return s.chars().anyMatch(Character::isDigit) && s.chars().anyMatch(Character::isLetter);
  }

  // Compiled once: these run on every candidate value, thousands of times in a hostile text.
  private static final Pattern STARS = Pattern.compile("\\*++");
  private static final Pattern LOWER_WORD = Pattern.compile("[a-z]++");

  /** Values on the right of a secret-named assignment that are not secrets themselves. */
  private static final Set<String> NOT_A_VALUE =
      Set.of("null", "none", "nil", "true", "false", "undefined", "required", "optional");

  private static boolean isAssignedSecret(String v) {
    String s = v.strip();
    if (s.isEmpty() || NOT_A_VALUE.contains(s.toLowerCase(Locale.ROOT))) {
      return false;
    }
    char c = s.charAt(0);
    // A reference, not a value: $VAR, ${VAR}, <your-key>, {{ template }}, %(name)s, ***, [REDACTED…
    return c != '$' && c != '<' && c != '{' && c != '%' && c != '[' && !STARS.matcher(s).matches();
  }

  /** A ':'-separated, unquoted value that is a plain word is prose ("password: required"). */
  private static boolean isColonSecret(String v) {
    return isAssignedSecret(v) && !LOWER_WORD.matcher(v).matches();
  }

  /**
   * Names whose value is a secret. The keyword must begin a name segment (start, after {@code _ .
   * -}, or a camelCase hump) and end the name, so {@code DB_PASSWORD}, {@code apiKey}, {@code
   * spring.datasource.password} and {@code export GITHUB_TOKEN} match while {@code max_tokens},
   * {@code bypass}, {@code password_reset_url} and {@code token_count} do not.
   */
  private static final String SECRET_NAME =
      "(?<![A-Za-z0-9])(?:[A-Za-z0-9]{1,40}+[_.-]){0,5}(?:[a-z][a-z0-9]{0,40}+(?=[A-Z]))?"
          + "(?i:pass(?:word|wd|phrase)?|pwd|pw|secret|token|(?:api|access|secret|private|auth)[_-]?key"
          + "|credentials?)(?![A-Za-z0-9])";

  /**
   * Words that follow "the password is" in prose about passwords rather than in a password ("the
   * password is required", "… was reset", "… is stored in Vault"). Collected from the look-alikes
   * of privacy/secrets.txt and the usual adjectives; a value with a digit, a symbol or mixed case
   * is never one of them.
   */
  private static final Set<String> PROSE_WORDS =
      Set.of(
          ("a an the not no too very still now also only just in on at for from of to with "
                  + "by being been never always required optional wrong incorrect invalid same "
                  + "different unknown empty blank missing weak strong secure insecure long short "
                  + "random visible hidden masked hashed salted encrypted stored saved kept set "
                  + "reset changed rotated expired generated managed shared sent case null none "
                  + "something what that this it there here and or but my your our their ")
              .strip()
              .split(" "));

  /**
   * A value in prose ("my password is hunter2horse"): a token with a digit, a symbol or mixed case
   * is a password; a plain lower-case word is one unless it is a word of prose about passwords.
   */
  private static boolean isProsePassword(String v) {
    String s = v.strip();
    if (!isAssignedSecret(s)) {
      return false;
    }
    int space = 0;
    while (space < s.length() && !Character.isWhitespace(s.charAt(space))) {
      space++;
    }
    String first = s.substring(0, space);
    for (int i = 0; i < first.length(); i++) {
      char c = first.charAt(i);
      if (c < 'a' || c > 'z') {
        return true; // a digit, a symbol or a capital: not a word of prose
      }
    }
    return !PROSE_WORDS.contains(first)
        && !first.endsWith("ed")
        && !first.endsWith("ly")
        && !first.endsWith("ing")
        && !first.endsWith("able")
        && !first.endsWith("ible");
  }

  /** "password", optionally "for the staging box", then "is" / "was" (":" is the rules' above). */
  private static final String PROSE_PASSWORD_NAME =
      "(?<![A-Za-z0-9_])(?i:pass(?:word|wd|code)?|pwd|pw)"
          + "(?:\\s{1,5}+(?i:for|of|on|to|at)(?:\\s{1,5}+[^\\s:=]{1,60}+){1,3}?)?"
          + "\\s{1,5}+(?i:is|was)(?:\\s{1,5}+(?i:now|still))?:?\\s{1,5}+";

  private static final List<Rule> RULES = new ArrayList<>();

  static {
    // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP … BLOCK): the whole block, header to
    // footer. The label is bounded (lazy, at most 40 tries), the body lazy up to the first footer;
    // an unclosed block is
    // redacted to the end (fail closed). Public keys and certificates are not secrets and stay.
    RULES.add(
        rule(
            "private_key",
            "-----BEGIN[A-Z0-9 ]{0,40}?PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
                + "(?:-----END[A-Z0-9 ]{0,40}?PRIVATE KEY(?: BLOCK)?-----|\\z)"));
    // Credentials in a URL: scheme://user:password@host. Only the password goes; user and host
    // stay because they are useful context ("the staging db is postgres://app@db.internal").
    RULES.add(
        rule(
            "url_password",
            "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}+://[^\\s:/@\"'<>]{1,256}+:"
                + "([^\\s/@\"'<>]{1,256}+)@",
            1,
            s -> true));
    // JWTs: base64url of '{"' is 'eyJ', so header and payload both start with it; the signature
    // may be empty (alg none), the claims alone are still worth hiding.
    RULES.add(
        rule(
            "jwt",
            "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}+\\.eyJ[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]*+"));
    // Provider keys, by their documented prefixes. Anthropic before OpenAI: both start 'sk-'.
    RULES.add(rule("anthropic_key", "(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}+"));
    RULES.add(
        rule(
            "openai_key",
            "(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-)?([A-Za-z0-9_-]{20,}+)",
            0,
            s -> looksRandom(s.substring(3))));
    // AWS access key ids: AKIA (long-term) / ASIA (STS) + 16 upper-case letters and digits.
    RULES.add(
        rule("aws_access_key_id", "(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"));
    // AWS secret keys have no prefix (40 base64 characters), so only where they are named.
    RULES.add(
        rule(
            "aws_secret_key",
            "(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key)[\"']?\\s{0,5}+[:=]\\s{0,5}+"
                + "[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            1,
            s -> true));
    RULES.add(rule("github_token", "(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,}+"));
    RULES.add(rule("github_token", "(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{30,}+"));
    RULES.add(rule("gitlab_token", "(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}+"));
    RULES.add(rule("slack_token", "(?<![A-Za-z0-9_-])xox[abpr]-[A-Za-z0-9-]{10,}+"));
    RULES.add(rule("stripe_key", "(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}+"));
    // Google API keys: 'AIza' + exactly 35 base64url characters.
    RULES.add(rule("google_api_key", "(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])"));
    RULES.add(rule("npm_token", "(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"));
    // Authorization headers: whatever follows the scheme is the credential.
    RULES.add(
        rule(
            "bearer_token",
            "(?i:authorization)[\"']?\\s{0,5}+[:=]\\s{0,5}+[\"']?(?i:bearer|basic|token)\\s{1,5}+"
                + "([^\\s\"']{8,}+)",
            1,
            s -> true));
    // "Bearer <token>" outside a header (curl -H, docs): a token must mix letters and digits so
    // "bearer tokens are short-lived" stays prose.
    RULES.add(
        rule(
            "bearer_token",
            "(?<![A-Za-z0-9])(?i:bearer)\\s{1,5}+([A-Za-z0-9._~+/-]{16,}+=*+)",
            1,
            Redactor::hasDigitAndLetter));
    // Secret-named assignments: NAME = value, NAME: value, "name": "value", NAME := value. The
    // quoted forms take any value; an unquoted ':' value must not be a plain word (YAML-ish
    // prose such as "password: required").
    RULES.add(
        rule(
            "secret",
            SECRET_NAME
                + "[\"']?\\s{0,5}+(?:=>|:=|=)\\s{0,5}+"
                + "(?:\"([^\"\\r\\n]{1,512}+)\"|'([^'\\r\\n]{1,512}+)'|([^\\s\"',;]{1,512}+))",
            -1,
            Redactor::isAssignedSecret));
    RULES.add(
        rule(
            "secret",
            SECRET_NAME
                + "[\"']?\\s{0,5}+:\\s{0,5}+"
                + "(?:\"([^\"\\r\\n]{1,512}+)\"|'([^'\\r\\n]{1,512}+)')",
            -1,
            Redactor::isAssignedSecret));
    RULES.add(
        rule(
            "secret",
            SECRET_NAME + "[\"']?\\s{0,5}+:[ \\t]{0,5}+([^\\s\"',;]{1,512}+)",
            1,
            Redactor::isColonSecret));
    // Passwords in prose: "my password is hunter2horse", "the pw for staging was 'Xy9!'". One
    // token, quoted or not; a trailing full stop or comma stays prose.
    RULES.add(
        rule(
            "password",
            PROSE_PASSWORD_NAME
                + "(?:\"([^\"\\r\\n]{1,200}+)\"|'([^'\\r\\n]{1,200}+)'|`([^`\\r\\n]{1,200}+)`"
                + "|([^\\s\"'`,;]{0,199}[^\\s\"'`,;.!?:)]))",
            -1,
            Redactor::isProsePassword));
    // Passphrases are several words: everything up to the end of the sentence or line goes.
    RULES.add(
        rule(
            "password",
            "(?<![A-Za-z0-9_])(?i:pass[ -]?phrase)\\s{0,5}+(?:(?i:is|was)\\s{0,5}+:?|[:=])\\s{0,5}+"
                + "(?:\"([^\"\\r\\n]{1,200}+)\"|'([^'\\r\\n]{1,200}+)'"
                + "|([^\\s\"'][^\\r\\n.;!?]{0,199}+))",
            -1,
            Redactor::isProsePassword));
  }
}
