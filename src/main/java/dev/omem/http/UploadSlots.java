package dev.omem.http;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Admits an import's raw upload ({@link BodyLimit#rawUpload}): such a request holds a worker while
 * up to a GiB arrives ({@link ApiServlet#UPLOAD_LIMIT}), so a tenant sending slowly could otherwise
 * take every worker of a team server. At most {@link #AT_ONCE} uploads are received at once, and at
 * most one per tenant, so one tenant (or several it made) cannot keep another's requests waiting;
 * the rest are refused at once with {@code rate_limited}, nothing read.
 */
final class UploadSlots {
  /** Uploads received at once: imports are rare, and each is disk-bound, not CPU-bound. */
  static final int AT_ONCE = 2;

  private final Semaphore slots = new Semaphore(AT_ONCE);
  private final Set<String> tenants = ConcurrentHashMap.newKeySet();

  /** Takes a slot for the caller's upload; the returned handle gives it back. */
  Runnable take(Caller caller) {
    String tenant = caller == null ? "" : Objects.requireNonNullElse(caller.tenantId(), "");
    if (!tenants.add(tenant)) {
      throw new OmemException(
          ErrorCode.RATE_LIMITED,
          "another import of yours is still being received; send the next one when it is done");
    }
    if (!slots.tryAcquire()) {
      tenants.remove(tenant);
      throw new OmemException(
          ErrorCode.RATE_LIMITED,
          "the server is receiving " + AT_ONCE + " imports already; try again in a moment");
    }
    return () -> {
      slots.release();
      tenants.remove(tenant);
    };
  }
}
