package dev.omem.service;

/**
 * An export: the file's text and its media type.
 *
 * @param count the memories in the file
 * @param leftOut memories the format could not carry (OMP's 10,000 characters)
 */
public record ExportResult(
    String format, String contentType, String body, int count, int leftOut) {}
