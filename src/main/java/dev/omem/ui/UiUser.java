package dev.omem.ui;

/**
 * Who signed in to the UI: a tenant of {@code omem serve}, or the machine's owner on the local
 * daemon (a null tenant id, as the daemon's token is).
 *
 * @param tenantId the tenant the UI acts as, or null for the store's own
 * @param label how the page names them
 */
public record UiUser(String tenantId, String label) {}
