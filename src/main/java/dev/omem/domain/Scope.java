package dev.omem.domain;

/**
 * Scope strings (DESIGN.md decision 6): {@code global}, true everywhere, or {@code project:<key>},
 * where the key names the project.
 */
public final class Scope {
  public static final String GLOBAL = "global";
  public static final String PROJECT_PREFIX = "project:";

  private Scope() {}

  public static String project(String key) {
    return PROJECT_PREFIX + key;
  }

  public static boolean isValid(String scope) {
    return GLOBAL.equals(scope)
        || (scope != null
            && scope.startsWith(PROJECT_PREFIX)
            && scope.length() > PROJECT_PREFIX.length());
  }
}
