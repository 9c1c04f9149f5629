package dev.omem.service;

/**
 * What an export wrote (the file itself went to the caller's writer, memory by memory).
 *
 * @param count the memories in the file, or -1 when not known (an export through a server)
 * @param leftOut memories the format could not carry (OMP's 10,000 characters)
 */
public record ExportResult(String format, String contentType, int count, int leftOut) {}
