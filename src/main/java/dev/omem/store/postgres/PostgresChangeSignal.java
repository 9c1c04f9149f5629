package dev.omem.store.postgres;

import dev.omem.store.ChangeSignal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN omem_changes} on a connection of its own (outside the pool: a LISTEN belongs to its
 * session), waking the index's follower on every notification the writers' {@code pg_notify} sends
 * at commit. A lost connection is opened again after {@link #RECONNECT_MS}, and the follower woken
 * then, since notifications sent meanwhile are gone; the follower's polling covers the gap.
 */
public final class PostgresChangeSignal implements ChangeSignal {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeSignal.class);

  /** How long one wait for notifications blocks before the thread looks whether it must stop. */
  private static final int WAIT_MS = 500;

  /** A lost LISTEN connection is opened again after this long (a restarting database). */
  private static final long RECONNECT_MS = 1_000;

  private final PostgresUrl url;
  private final List<Runnable> wakes = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private PostgresChangeSignal(PostgresUrl url) {
    this.url = url;
    this.thread = new Thread(this::loop, "omem-listen");
    thread.setDaemon(true);
  }

  /** Starts listening to the database at {@code url}. */
  public static PostgresChangeSignal listen(PostgresUrl url) {
    PostgresChangeSignal s = new PostgresChangeSignal(url);
    s.thread.start();
    return s;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void onChange(Runnable wake) {
    wakes.add(wake);
  }

  private void loop() {
    boolean first = true;
    while (!closed) {
      try (Connection c = open()) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + PostgresChangeLog.CHANNEL);
        }
        if (!first) {
          wakeAll(); // changes committed while no one listened
        }
        first = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] got = pg.getNotifications(WAIT_MS);
          if (got != null && got.length > 0) {
            wakeAll();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("LISTEN {} lost ({}); listening again in {} ms", url.location(), e, RECONNECT_MS);
        first = false;
        try {
          Thread.sleep(RECONNECT_MS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("ApplicationName", "omem-listen");
    // A dead peer is noticed by the socket, not by a wait that never ends.
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  private void wakeAll() {
    for (Runnable w : wakes) {
      try {
        w.run();
      } catch (RuntimeException e) {
        LOG.warn("change wake-up failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
