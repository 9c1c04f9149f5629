package dev.omem.wire;

import java.time.Instant;
import java.util.List;

/**
 * A request's query string as the wire records read it: typed, each bad value a validation error
 * naming the parameter (http's {@code ApiRequest} implements it).
 */
public interface QueryParams {
  String param(String name);

  Integer intParam(String name);

  Double doubleParam(String name);

  boolean boolParam(String name);

  /** A comma-separated list; null when absent. */
  List<String> listParam(String name);

  Instant timeParam(String name);
}
