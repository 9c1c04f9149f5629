package dev.omem.service;

/**
 * What to export.
 *
 * @param format {@code omem} (default), {@code omp} or {@code markdown}
 * @param scope null or {@code all} for every scope of the tenant; else a scope as search reads it
 *     ({@code global}, {@code project}, {@code project:<name>}: with global)
 */
public record ExportRequest(String format, String scope) {}
