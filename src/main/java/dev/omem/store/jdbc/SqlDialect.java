package dev.omem.store.jdbc;

/**
 * The few SQL fragments in which SQLite and PostgreSQL differ, for the shared {@code Jdbc*}
 * repositories; everything else they write once, in SQL both accept.
 *
 * @param insertionOrder the column giving the order rows were inserted in ({@code rowid} in SQLite,
 *     a {@code stored_order} identity column in PostgreSQL)
 * @param claimLock appended to a sub-select that picks a row to claim: PostgreSQL's {@code FOR
 *     UPDATE SKIP LOCKED} lets concurrent nodes claim different rows; SQLite's one writer needs
 *     none
 * @param jsonFieldFormat a {@link String#format} pattern of (column, field) reading one text field
 *     of a JSON column
 * @param utcDayFormat a {@link String#format} pattern of (column) turning epoch milliseconds into
 *     the UTC day {@code YYYY-MM-DD}
 * @param tenantKeyLock a statement with one parameter (the tenant id) that serialises changes to
 *     one tenant's keys until the transaction ends, or null where writes are serialised anyway
 * @param tagFilter a condition with one parameter (the tag) on {@code memories}: the tag is one of
 *     the values of the JSON array in {@code memories.tags}
 * @param pageKey the column a page of memories is chosen by before its rows are read whole: the one
 *     that finds a row fastest ({@code rowid} in SQLite, which every index carries; the primary key
 *     {@code id} in PostgreSQL, where {@code stored_order} has no index)
 */
public record SqlDialect(
    String insertionOrder,
    String claimLock,
    String jsonFieldFormat,
    String utcDayFormat,
    String tenantKeyLock,
    String tagFilter,
    String pageKey) {

  /** The SQL reading text field {@code field} of JSON column {@code column}. */
  public String jsonField(String column, String field) {
    return String.format(jsonFieldFormat, column, field);
  }

  /** The SQL turning epoch milliseconds in {@code column} into the UTC day. */
  public String utcDay(String column) {
    return String.format(utcDayFormat, column);
  }
}
