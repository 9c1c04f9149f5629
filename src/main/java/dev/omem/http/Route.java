package dev.omem.http;

/** One route's work: an authenticated request in, a reply out; may throw OmemException. */
@FunctionalInterface
interface Route {
  Reply handle(ApiRequest req);
}
