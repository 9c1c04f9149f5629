package dev.omem.store;

import java.util.Map;
import java.util.Optional;

/** Small key-value settings of the store (the home's identity, the model in use). */
public interface MetaStore {
  Optional<String> meta(String key);

  void putMeta(String key, String value);

  /** Sets every entry of {@code values} in one transaction. */
  void putAllMeta(Map<String, String> values);

  /** Sets {@code key} only if it has no value yet; returns the value now stored. */
  String metaIfAbsent(String key, String value);
}
