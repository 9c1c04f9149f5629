package dev.omem.service;

import dev.omem.domain.OmemException;
import java.util.List;
import java.util.Locale;

/**
 * What to export.
 *
 * @param format {@code omem} (default), {@code omp} or {@code markdown}
 * @param scope null or {@code all} for every scope of the tenant; else a scope as search reads it
 *     ({@code global}, {@code project}, {@code project:<name>}: with global)
 */
public record ExportRequest(String format, String scope) {
  /**
   * The format's name, lower-cased, {@code omem} when none; an unknown one is a validation error.
   */
  public String formatName() {
    String f = format == null || format.isBlank() ? "omem" : format.trim().toLowerCase(Locale.ROOT);
    if (!List.of("omem", "omp", "markdown").contains(f)) {
      throw OmemException.invalid(
          "unknown export format '" + format + "'; use omem, omp or markdown");
    }
    return f;
  }

  /** The media type of the file. */
  public String contentType() {
    return formatName().equals("markdown") ? "text/markdown; charset=utf-8" : "application/json";
  }
}
