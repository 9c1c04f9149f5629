package dev.omem.ui;

import java.util.Optional;

/**
 * Turns a secret into the user it signs in: the daemon's token or a tenant's API key, checked the
 * way the API's gate checks it. Built by whoever starts the server, so this face imports no other.
 */
@FunctionalInterface
public interface UiKeys {
  Optional<UiUser> signIn(String key);
}
