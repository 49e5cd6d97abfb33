package org.maiaos.mesh.cojson.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * Internal. cojson's SQLite client ({@code storage/sqlite/client.ts}) over sqlite-jdbc: the same
 * tables, WAL journal, {@code synchronous=FULL} so a commit is on disk before {@code done}. One
 * connection, used under the engine's lock.
 */
final class SqliteBackend implements StorageBackend {
  private final Connection c;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  SqliteBackend(Path file, boolean synchronousFull) {
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = " + (synchronousFull ? "FULL" : "NORMAL"));
        st.execute("PRAGMA busy_timeout = 10000");
      }
      SqliteSchema.migrate(c);
    } catch (SQLException e) {
      throw StorageError.IO_ERROR.error(e, "cannot open %s: %s", file, e.getMessage());
    }
  }

  private PreparedStatement ps(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) statements.put(sql, p = c.prepareStatement(sql));
    return p;
  }

  private static RuntimeException io(SQLException e) {
    return StorageError.IO_ERROR.error(e, "sqlite: %s", e.getMessage());
  }

  private Long coValueRowId(String id) throws SQLException {
    PreparedStatement p = ps("SELECT rowID FROM coValues WHERE id = ?");
    p.setString(1, id);
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  // ---- reads ----

  @Override
  public Optional<StoredCoValue> read(String id) {
    try {
      PreparedStatement p = ps("SELECT rowID, header FROM coValues WHERE id = ?");
      p.setString(1, id);
      long rowId;
      String header;
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        rowId = rs.getLong(1);
        header = rs.getString(2);
      }
      Map<String, Long> sesRows = new LinkedHashMap<>();
      List<SessionRow> sessions = new ArrayList<>();
      PreparedStatement s = ps("SELECT rowID, sessionID, lastIdx, lastSignature, bytesSinceLastSignature FROM sessions WHERE coValue = ? ORDER BY rowID");
      s.setLong(1, rowId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sesRows.put(rs.getString(2), rs.getLong(1));
          sessions.add(new SessionRow(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
        }
      }
      Map<String, List<SignatureAfter>> sigs = new HashMap<>();
      PreparedStatement g = ps("SELECT idx, signature FROM signatureAfter WHERE ses = ? ORDER BY idx");
      for (Map.Entry<String, Long> e : sesRows.entrySet()) {
        List<SignatureAfter> list = new ArrayList<>();
        g.setLong(1, e.getValue());
        try (ResultSet rs = g.executeQuery()) {
          while (rs.next()) list.add(new SignatureAfter(rs.getLong(1), rs.getString(2)));
        }
        sigs.put(e.getKey(), list);
      }
      return Optional.of(new Stored(header, sessions, sigs, sesRows));
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private final class Stored implements StoredCoValue {
    private final String header;
    private final List<SessionRow> sessions;
    private final Map<String, List<SignatureAfter>> sigs;
    private final Map<String, Long> sesRows;

    Stored(String header, List<SessionRow> sessions, Map<String, List<SignatureAfter>> sigs, Map<String, Long> sesRows) {
      this.header = header;
      this.sessions = sessions;
      this.sigs = sigs;
      this.sesRows = sesRows;
    }

    @Override
    public String headerJson() {
      return header;
    }

    @Override
    public List<SessionRow> sessions() {
      return sessions;
    }

    @Override
    public List<SignatureAfter> signatures(String sessionId) {
      return sigs.getOrDefault(sessionId, List.of());
    }

    @Override
    public List<String> transactions(String sessionId, long fromIdx, long toIdx) {
      try {
        PreparedStatement p = ps("SELECT idx, tx FROM transactions WHERE ses = ? AND idx >= ? AND idx <= ? ORDER BY idx");
        p.setLong(1, sesRows.get(sessionId));
        p.setLong(2, fromIdx);
        p.setLong(3, toIdx);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            if (rs.getLong(1) != fromIdx + out.size()) break;
            out.add(rs.getString(2));
          }
        }
        if (out.size() != toIdx - fromIdx + 1) {
          throw StorageError.STORAGE_CORRUPT.error("session %s holds %d of the transactions %d..%d", sessionId, out.size(), fromIdx, toIdx);
        }
        return out;
      } catch (SQLException e) {
        throw io(e);
      }
    }
  }

  @Override
  public java.util.Iterator<org.maiaos.mesh.cojson.storage.keys.SessionChunk> chunks(String id, String sessionId, long fromIdx) {
    // segments between saved signatures; each one's transactions are read when it is reached
    StoredCoValue cv = read(id).orElse(null);
    List<SessionRow> rows = cv == null ? List.of() : cv.sessions().stream().filter(r -> r.sessionId().equals(sessionId)).toList();
    if (rows.isEmpty()) return java.util.Collections.emptyIterator();
    SessionRow row = rows.get(0);
    List<SignatureAfter> cuts = new ArrayList<>();
    for (SignatureAfter sig : cv.signatures(sessionId)) if (sig.idx() < row.lastIdx() - 1) cuts.add(sig);
    cuts.add(new SignatureAfter(row.lastIdx() - 1, row.lastSignature()));
    int sealedCount = cuts.size() - 1;
    return new java.util.Iterator<>() {
      int i = firstCutAtOrAfter(cuts, fromIdx);

      @Override
      public boolean hasNext() {
        return i < cuts.size() && row.lastIdx() > 0;
      }

      @Override
      public org.maiaos.mesh.cojson.storage.keys.SessionChunk next() {
        long first = i == 0 ? 0 : cuts.get(i - 1).idx() + 1;
        SignatureAfter end = cuts.get(i);
        List<String> txs = cv.transactions(sessionId, first, end.idx());
        boolean sealed = i < sealedCount;
        i++;
        return new org.maiaos.mesh.cojson.storage.keys.SessionChunk(first, txs, end.signature(), sealed);
      }
    };
  }

  private static int firstCutAtOrAfter(List<SignatureAfter> cuts, long idx) {
    for (int i = 0; i < cuts.size(); i++) if (cuts.get(i).idx() >= idx) return i;
    return cuts.size();
  }

  @Override
  public Optional<String> headerJson(String id) {
    try {
      PreparedStatement p = ps("SELECT header FROM coValues WHERE id = ?");
      p.setString(1, id);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public Optional<KnownState> knownState(String id) {
    try {
      Long rowId = coValueRowId(id);
      if (rowId == null) return Optional.empty();
      PreparedStatement p = ps("SELECT sessionID, lastIdx FROM sessions WHERE coValue = ? ORDER BY rowID");
      p.setLong(1, rowId);
      Map<String, Long> sessions = new LinkedHashMap<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) sessions.put(rs.getString(1), rs.getLong(2));
      }
      return Optional.of(new KnownState(id, true, sessions));
    } catch (SQLException e) {
      throw io(e);
    }
  }

  // ---- writes ----

  @Override
  public <T> T write(Function<WriteTx, T> work) {
    try {
      c.setAutoCommit(false);
      try {
        T result = work.apply(new Tx());
        c.commit();
        return result;
      } catch (RuntimeException | Error e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private final class Tx implements WriteTx {
    private final Map<String, Long> coValueRows = new HashMap<>();
    private final Map<String, Long> sessionRows = new HashMap<>();

    private long coValue(String id) throws SQLException {
      Long r = coValueRows.get(id);
      if (r == null) {
        r = coValueRowId(id);
        if (r == null) throw StorageError.ASSERTION.error("no coValues row for %s", id);
        coValueRows.put(id, r);
      }
      return r;
    }

    @Override
    public boolean hasCoValue(String id) {
      try {
        Long r = coValueRowId(id);
        if (r != null) coValueRows.put(id, r);
        return r != null;
      } catch (SQLException e) {
        throw io(e);
      }
    }

    @Override
    public void insertCoValue(String id, String headerJson) {
      try {
        PreparedStatement p = ps("INSERT INTO coValues (id, header) VALUES (?, ?) ON CONFLICT(id) DO NOTHING");
        p.setString(1, id);
        p.setString(2, headerJson);
        p.executeUpdate();
      } catch (SQLException e) {
        throw io(e);
      }
    }

    @Override
    public Optional<SessionRow> session(String id, String sessionId) {
      try {
        PreparedStatement p = ps("SELECT rowID, lastIdx, lastSignature, bytesSinceLastSignature FROM sessions WHERE coValue = ? AND sessionID = ?");
        p.setLong(1, coValue(id));
        p.setString(2, sessionId);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          sessionRows.put(sessionId, rs.getLong(1));
          return Optional.of(new SessionRow(sessionId, rs.getLong(2), rs.getString(3), rs.getLong(4)));
        }
      } catch (SQLException e) {
        throw io(e);
      }
    }

    @Override
    public void putSession(String id, SessionRow row) {
      try {
        PreparedStatement p = ps("INSERT INTO sessions (coValue, sessionID, lastIdx, lastSignature, bytesSinceLastSignature) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT(coValue, sessionID) DO UPDATE SET lastIdx=excluded.lastIdx, lastSignature=excluded.lastSignature,"
            + " bytesSinceLastSignature=excluded.bytesSinceLastSignature RETURNING rowID");
        p.setLong(1, coValue(id));
        p.setString(2, row.sessionId());
        p.setLong(3, row.lastIdx());
        p.setString(4, row.lastSignature());
        p.setLong(5, row.bytesSinceLastSignature());
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) throw StorageError.IO_ERROR.error("session upsert returned no row");
          sessionRows.put(row.sessionId(), rs.getLong(1));
        }
      } catch (SQLException e) {
        throw io(e);
      }
    }

    private long sessionRow(String sessionId) {
      Long r = sessionRows.get(sessionId);
      if (r == null) throw StorageError.ASSERTION.error("session %s written before its row", sessionId);
      return r;
    }

    @Override
    public void addTransactions(String id, String sessionId, long firstIdx, List<String> txs, boolean endsAtSignature) {
      try {
        PreparedStatement p = ps("INSERT INTO transactions (ses, idx, tx) VALUES (?, ?, ?)");
        long ses = sessionRow(sessionId);
        for (int i = 0; i < txs.size(); i++) {
          p.setLong(1, ses);
          p.setLong(2, firstIdx + i);
          p.setString(3, txs.get(i));
          p.addBatch();
        }
        p.executeBatch();
      } catch (SQLException e) {
        throw io(e);
      }
    }

    @Override
    public void addSignatureAfter(String id, String sessionId, SignatureAfter sig) {
      try {
        PreparedStatement p = ps("INSERT INTO signatureAfter (ses, idx, signature) VALUES (?, ?, ?)");
        p.setLong(1, sessionRow(sessionId));
        p.setLong(2, sig.idx());
        p.setString(3, sig.signature());
        p.executeUpdate();
      } catch (SQLException e) {
        throw io(e);
      }
    }

    @Override
    public void markCoValueAsDeleted(String id) {
      try {
        PreparedStatement p = ps("INSERT INTO deletedCoValues (coValueID) VALUES (?) ON CONFLICT(coValueID) DO NOTHING");
        p.setString(1, id);
        p.executeUpdate();
      } catch (SQLException e) {
        throw io(e);
      }
    }
  }

  // ---- deletion ----

  @Override
  public List<String> coValuesWaitingForDelete() {
    return strings("SELECT coValueID FROM deletedCoValues WHERE status = 0", null);
  }

  @Override
  public void eraseCoValueButKeepTombstone(String id) {
    write(tx -> {
      try {
        Long rowId = coValueRowId(id);
        if (rowId != null) {
          String normal = "SELECT rowID FROM sessions WHERE coValue = ? AND sessionID NOT LIKE '%$'";
          for (String sql : List.of("DELETE FROM transactions WHERE ses IN (" + normal + ")",
              "DELETE FROM signatureAfter WHERE ses IN (" + normal + ")",
              "DELETE FROM sessions WHERE coValue = ? AND sessionID NOT LIKE '%$'")) {
            PreparedStatement p = ps(sql);
            p.setLong(1, rowId);
            p.executeUpdate();
          }
        }
        PreparedStatement p = ps("INSERT INTO deletedCoValues (coValueID, status) VALUES (?, 1) ON CONFLICT(coValueID) DO UPDATE SET status = 1");
        p.setString(1, id);
        p.executeUpdate();
        return null;
      } catch (SQLException e) {
        throw io(e);
      }
    });
  }

  // ---- sync state ----

  @Override
  public void trackCoValuesSyncState(List<StorageApi.SyncStateUpdate> updates) {
    write(tx -> {
      try {
        for (StorageApi.SyncStateUpdate u : updates) {
          PreparedStatement p = ps(u.synced() ? "DELETE FROM unsynced_covalues WHERE co_value_id = ? AND peer_id = ?"
              : "INSERT OR REPLACE INTO unsynced_covalues (co_value_id, peer_id) VALUES (?, ?)");
          p.setString(1, u.id());
          p.setString(2, u.peerId());
          p.executeUpdate();
        }
        return null;
      } catch (SQLException e) {
        throw io(e);
      }
    });
  }

  @Override
  public List<String> unsyncedCoValueIds() {
    return strings("SELECT DISTINCT co_value_id FROM unsynced_covalues ORDER BY co_value_id", null);
  }

  @Override
  public void stopTrackingSyncState(String id) {
    try {
      PreparedStatement p = ps("DELETE FROM unsynced_covalues WHERE co_value_id = ?");
      p.setString(1, id);
      p.executeUpdate();
    } catch (SQLException e) {
      throw io(e);
    }
  }

  // ---- reconciliation ----

  @Override
  public List<String> coValueIds(int limit, long offset) {
    try {
      PreparedStatement p = ps("SELECT id FROM coValues WHERE rowID > ? ORDER BY rowID LIMIT ?");
      p.setLong(1, offset);
      p.setInt(2, limit);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public long coValueCount() {
    try (ResultSet rs = ps("SELECT COUNT(*) FROM coValues").executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public Optional<LockRow> lock(String key) {
    try {
      PreparedStatement p = ps("SELECT holderSessionId, acquiredAt, releasedAt, lastProcessedOffset FROM storageReconciliationLocks WHERE key = ?");
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        long released = rs.getLong(3);
        Long releasedAt = rs.wasNull() ? null : released;
        return Optional.of(new LockRow(key, rs.getString(1), rs.getLong(2), releasedAt, rs.getLong(4)));
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public void putLock(LockRow row) {
    try {
      PreparedStatement p = ps("INSERT OR REPLACE INTO storageReconciliationLocks (key, holderSessionId, acquiredAt, releasedAt, lastProcessedOffset)"
          + " VALUES (?, ?, ?, ?, ?)");
      p.setString(1, row.key());
      p.setString(2, row.holderSessionId());
      p.setLong(3, row.acquiredAt());
      if (row.releasedAt() == null) p.setNull(4, Types.INTEGER);
      else p.setLong(4, row.releasedAt());
      p.setLong(5, row.lastProcessedOffset());
      p.executeUpdate();
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private List<String> strings(String sql, String arg) {
    try {
      PreparedStatement p = ps(sql);
      if (arg != null) p.setString(1, arg);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public void close() {
    try {
      for (PreparedStatement p : statements.values()) p.close();
      statements.clear();
      c.close();
    } catch (SQLException e) {
      throw io(e);
    }
  }
}
