package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.OmemException;
import dev.omem.domain.Scope;
import java.util.Set;

/**
 * DESIGN.md decision 6 in code: which scope a memory is stored in, and which scopes a read sees.
 */
final class ScopeRules {
  private ScopeRules() {}

  /**
   * The scope a new memory gets: as asked, else global for profile and preferences, else the
   * caller's project.
   */
  static String storeScope(String requested, Category category, String project) {
    if (requested == null || requested.isBlank()) {
      return category.isGlobalByDefault() || project == null
          ? Scope.GLOBAL
          : Scope.project(project);
    }
    String s = requested.trim();
    if (s.equals(Scope.GLOBAL)) {
      return s;
    }
    if (s.equals("project")) {
      if (project == null) {
        throw OmemException.invalid(
            "scope 'project' needs a project, and none is known for this caller; use 'global'"
                + " or 'project:<name>'");
      }
      return Scope.project(project);
    }
    if (Scope.isValid(s)) {
      return s;
    }
    throw OmemException.invalid(
        "unknown scope '" + requested + "'; use 'global', 'project' or 'project:<name>'");
  }

  /** The scopes a read sees: the caller's project and global by default; every scope for "all". */
  static Set<String> readScopes(String requested, String project) {
    String s = requested == null || requested.isBlank() ? "project" : requested.trim();
    return switch (s) {
      case "all" -> Set.of();
      case Scope.GLOBAL -> Set.of(Scope.GLOBAL);
      case "project" -> project == null ? Set.of() : Set.of(Scope.GLOBAL, Scope.project(project));
      default -> {
        if (!Scope.isValid(s)) {
          throw OmemException.invalid(
              "unknown scope '"
                  + requested
                  + "'; use 'project', 'global', 'all' or"
                  + " 'project:<name>'");
        }
        yield Set.of(Scope.GLOBAL, s);
      }
    };
  }
}
