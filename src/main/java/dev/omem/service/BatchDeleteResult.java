package dev.omem.service;

/**
 * The outcome of a batch delete.
 *
 * @param deleted how many memories were soft-deleted, or null for a dry run
 * @param wouldDelete how many a filter matches when not confirmed, else null
 * @param mode {@code ids} or {@code filter}
 */
public record BatchDeleteResult(Long deleted, Long wouldDelete, String mode) {}
