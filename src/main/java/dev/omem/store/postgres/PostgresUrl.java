package dev.omem.store.postgres;

import dev.omem.domain.OmemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database URL as a person writes it ({@code postgresql://user:password@host:5432/omem?ssl=true},
 * also {@code postgres://} and pgjdbc's own {@code jdbc:postgresql://}), split into what the JDBC
 * driver takes: pgjdbc does not read a user or password from the URL's authority. Without a
 * password in the URL, {@code PGPASSWORD} is used, as psql does.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db?params}, without credentials
 * @param user the user, or null for the driver's default
 * @param password the password, or null
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {
  /** Whether {@code url} names a PostgreSQL database (rather than a SQLite home). */
  public static boolean isPostgres(String url) {
    return url != null
        && (url.startsWith("postgresql://")
            || url.startsWith("postgres://")
            || url.startsWith("jdbc:postgresql:"));
  }

  public static PostgresUrl parse(String url) {
    if (!isPostgres(url)) {
      throw OmemException.invalid(
          "not a PostgreSQL URL: expected postgresql://user:password@host:port/database");
    }
    if (url.startsWith("jdbc:")) {
      return new PostgresUrl(url, null, System.getenv("PGPASSWORD"));
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw OmemException.invalid("cannot read the database URL: " + e.getReason());
    }
    if (u.getHost() == null) {
      throw OmemException.invalid("the database URL names no host: " + redact(url));
    }
    String db = u.getRawPath() == null || u.getRawPath().length() <= 1 ? "" : u.getRawPath();
    String jdbc =
        "jdbc:postgresql://"
            + u.getHost()
            + (u.getPort() > 0 ? ":" + u.getPort() : "")
            + (db.isEmpty() ? "/" : db)
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    String user = null;
    String password = System.getenv("PGPASSWORD");
    String info = u.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) {
        password = decode(info.substring(colon + 1));
      }
    }
    return new PostgresUrl(jdbc, user, password);
  }

  /** {@code url} with its password replaced by {@code ***}: what logs and errors may show. */
  public static String redact(String url) {
    return url == null ? null : url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
  }

  /** Where the store is, for a person: the JDBC URL without credentials, and the user. */
  public String location() {
    return jdbcUrl.replaceFirst("^jdbc:", "").replaceAll("password=[^&]*", "password=***")
        + (user == null ? "" : " (user " + user + ")");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
