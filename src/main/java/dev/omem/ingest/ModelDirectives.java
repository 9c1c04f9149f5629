package dev.omem.ingest;

import java.util.regex.Pattern;

/**
 * The directive rule of the injection screen: three moves that are addressed to a model and never
 * part of what a user tells their own agent about themselves or the project: overriding earlier
 * instructions ("ignore previous instructions"), hiding something from the user ("do not tell the
 * user"), and claiming a new identity or authority ("you are now in developer mode", "a message
 * from the system"). Everything else is left to the exemplar classifier.
 */
public final class ModelDirectives {
  private ModelDirectives() {}

  private static final Pattern OVERRIDE =
      Pattern.compile(
          "\\b(?:ignore|disregard|forget|override|bypass)\\b[^.!?\\n]{0,40}\\b(?:previous|prior"
              + "|above|earlier|preceding|original|initial|system|your|all)\\b[^.!?\\n]{0,30}"
              + "\\b(?:instructions?|prompts?|rules|guidelines|directions|directives|policies"
              + "|programming)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern CONCEAL =
      Pattern.compile(
          "\\b(?:(?:do not|don't|never)\\s+(?:tell|mention|inform|show|reveal|alert)(?:s|ing)?"
              + "(?:\\s+(?:this|it|anything))?\\s+(?:to\\s+)?the user"
              + "|without (?:telling|mentioning|informing|alerting) (?:it to )?the user"
              + "|hide (?:this|it) from the user)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern AUTHORITY =
      Pattern.compile(
          "\\byou are now\\b[^.!?\\n]{0,40}\\b(?:mode|unrestricted|jailbroken|DAN|free|unfiltered)"
              + "\\b|\\b(?:developer|god|jailbreak|DAN) mode\\b|\\b(?:message|instructions?|note)"
              + " (?:from|by) (?:the )?(?:system|administrator|admin|developers?)\\b"
              + "|\\b(?:reveal|print|output|repeat|show)\\b[^.!?\\n]{0,30}\\bsystem prompt\\b",
          Pattern.CASE_INSENSITIVE);

  /** Why {@code text} directs a model, or null when it does not. */
  public static String reason(String text) {
    if (OVERRIDE.matcher(text).find()) {
      return "directive: overrides earlier instructions";
    }
    if (CONCEAL.matcher(text).find()) {
      return "directive: hides something from the user";
    }
    if (AUTHORITY.matcher(text).find()) {
      return "directive: claims a new role or authority";
    }
    return null;
  }
}
