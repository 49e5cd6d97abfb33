package org.maiaos.mesh.cojson.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal. The schema of cojson's SQLite storage ({@code storage/sqlite/sqliteMigrations.ts}),
 * migration by migration, versioned in {@code PRAGMA user_version} (7 today; there is no 2). Kept
 * table for table and column for column so that either side can open the other's file.
 */
final class SqliteSchema {
  static final int VERSION = 7;

  private static final Map<Integer, List<String>> MIGRATIONS = new TreeMap<>(Map.of(
      1, List.of(
          "CREATE TABLE IF NOT EXISTS transactions (ses INTEGER, idx INTEGER, tx TEXT NOT NULL, PRIMARY KEY (ses, idx)) WITHOUT ROWID",
          "CREATE TABLE IF NOT EXISTS sessions (rowID INTEGER PRIMARY KEY, coValue INTEGER NOT NULL, sessionID TEXT NOT NULL,"
              + " lastIdx INTEGER, lastSignature TEXT, UNIQUE (sessionID, coValue))",
          "CREATE INDEX IF NOT EXISTS sessionsByCoValue ON sessions (coValue)",
          "CREATE TABLE IF NOT EXISTS coValues (rowID INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, header TEXT NOT NULL UNIQUE)",
          "CREATE INDEX IF NOT EXISTS coValuesByID ON coValues (id)"),
      3, List.of(
          "CREATE TABLE IF NOT EXISTS signatureAfter (ses INTEGER, idx INTEGER, signature TEXT NOT NULL, PRIMARY KEY (ses, idx)) WITHOUT ROWID",
          "ALTER TABLE sessions ADD COLUMN bytesSinceLastSignature INTEGER"),
      4, List.of(
          "CREATE TABLE IF NOT EXISTS unsynced_covalues (rowID INTEGER PRIMARY KEY, co_value_id TEXT NOT NULL, peer_id TEXT NOT NULL,"
              + " UNIQUE (co_value_id, peer_id))",
          "CREATE INDEX IF NOT EXISTS idx_unsynced_covalues_co_value_id ON unsynced_covalues(co_value_id)"),
      5, List.of(
          "CREATE TABLE IF NOT EXISTS deletedCoValues (coValueID TEXT PRIMARY KEY, status INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
          "CREATE INDEX IF NOT EXISTS deletedCoValuesByStatus ON deletedCoValues (status)"),
      6, List.of(
          "CREATE TABLE IF NOT EXISTS storageReconciliationLocks (key TEXT PRIMARY KEY, holderSessionId TEXT NOT NULL,"
              + " acquiredAt INTEGER NOT NULL, expiresAt INTEGER NOT NULL, lastProcessedOffset INTEGER NOT NULL DEFAULT 0,"
              + " releasedAt INTEGER) WITHOUT ROWID"),
      7, List.of("ALTER TABLE storageReconciliationLocks DROP COLUMN expiresAt")));

  private SqliteSchema() {}

  /** Applies the migrations above the file's {@code user_version}, each with its version bump in one transaction. */
  static void migrate(Connection c) throws SQLException {
    int current;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      current = rs.next() ? rs.getInt(1) : 0;
    }
    if (current > VERSION) throw StorageError.STORAGE_CORRUPT.error("database schema version %d is newer than %d", current, VERSION);
    for (Map.Entry<Integer, List<String>> m : MIGRATIONS.entrySet()) {
      if (m.getKey() <= current) continue;
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : m.getValue()) st.execute(sql);
        st.execute("PRAGMA user_version = " + m.getKey());
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
