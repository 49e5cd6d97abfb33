package org.maiaos.mesh.cojson.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Internal. A reconciliation lock row as a bee value: holder (UTF), acquiredAt, released flag + time, offset. */
final class LockCodec {
  private LockCodec() {}

  static byte[] encode(StorageBackend.LockRow row) {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bo)) {
      out.writeUTF(row.holderSessionId());
      out.writeLong(row.acquiredAt());
      out.writeBoolean(row.releasedAt() != null);
      out.writeLong(row.releasedAt() == null ? 0 : row.releasedAt());
      out.writeLong(row.lastProcessedOffset());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bo.toByteArray();
  }

  static StorageBackend.LockRow decode(String key, byte[] value) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
      String holder = in.readUTF();
      long acquired = in.readLong();
      boolean released = in.readBoolean();
      long releasedAt = in.readLong();
      long offset = in.readLong();
      return new StorageBackend.LockRow(key, holder, acquired, released ? releasedAt : null, offset);
    } catch (IOException e) {
      throw StorageError.STORAGE_CORRUPT.error("lock %s: %s", key, e.getMessage());
    }
  }
}
