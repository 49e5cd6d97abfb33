package org.maiaos.mesh.hypercore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * The append-only operation log: framed {@link OplogEntry}s, each made durable (fdatasync) before
 * its commit touches any other file. Holding this file's lock is what makes a directory ours: a
 * second open, in this JVM or another, gets STORAGE_CONFLICT. The file is only ever read and
 * written through this one channel, because closing any other channel on it would drop the lock.
 */
final class Oplog implements Closeable {
  /** What reading the frame at one offset found: an entry and the next offset, or why it is not one. */
  record Frame(OplogEntry entry, long next, String problem) {}

  private final FileChannel ch;
  private final FileLock lock;
  private long end;

  private Oplog(FileChannel ch, FileLock lock, long end) {
    this.ch = ch;
    this.lock = lock;
    this.end = end;
  }

  static Oplog open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) throw CoreError.STORAGE_CONFLICT.error("%s is already open", file.getParent());
      return new Oplog(ch, lock, ch.size());
    } catch (IOException | HypercoreException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Opens the log to read only, without its lock (a snapshot beside the process that holds it):
   * the size is taken now; frames the writer appends later are not seen.
   */
  static Oplog openReadOnly(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    return new Oplog(ch, null, ch.size());
  }

  /** The bytes in the log: entries since the last checkpoint (and, before recovery, any torn tail). */
  long size() {
    return end;
  }

  /** Appends one frame and, with {@code sync}, waits until it (and every frame before it) is on disk. */
  void append(byte[] frame, boolean sync) throws IOException {
    FileIo.writeFully(ch, ByteBuffer.wrap(frame), end);
    if (sync) ch.force(false); // fdatasync: the data and the grown size, not the mtime
    end += frame.length;
  }

  /** Waits until every frame appended so far is on disk. */
  void sync() throws IOException {
    ch.force(false);
  }

  /**
   * Reads the frame at {@code pos}. A frame is accepted only if its length is within the limit and
   * the file, its checksum matches, and its body decodes; the length is checked before the body is
   * allocated.
   */
  Frame read(long pos, StorageLimits limits) throws IOException {
    long left = end - pos;
    if (left < OplogEntry.FRAME_HEADER_BYTES) return problem("torn frame header (" + left + " bytes)");
    byte[] header = new byte[OplogEntry.FRAME_HEADER_BYTES];
    if (FileIo.readFully(ch, ByteBuffer.wrap(header), pos) < header.length) return problem("short read of a frame header");
    long length = OplogEntry.bodyLength(header);
    if (length > limits.maxEntryBytes()) return problem("entry length " + length + " over the " + limits.maxEntryBytes() + "-byte limit");
    if (length > left - OplogEntry.FRAME_HEADER_BYTES) {
      return problem("torn entry: " + length + " bytes declared, " + (left - OplogEntry.FRAME_HEADER_BYTES) + " in the file");
    }
    byte[] frame = new byte[OplogEntry.FRAME_HEADER_BYTES + (int) length];
    if (FileIo.readFully(ch, ByteBuffer.wrap(frame), pos) < frame.length) return problem("short read of an entry");
    if (!OplogEntry.checksumMatches(frame)) return problem("entry checksum mismatch");
    try {
      return new Frame(OplogEntry.decodeFrame(frame, limits), pos + frame.length, null);
    } catch (HypercoreException e) {
      return problem("undecodable entry: " + e.getMessage());
    }
  }

  private static Frame problem(String why) {
    return new Frame(null, -1, why);
  }

  /** Cuts the log to {@code size} bytes (0 after a checkpoint), durably. */
  void truncate(long size) throws IOException {
    ch.truncate(size);
    ch.force(true);
    end = size;
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock != null && lock.isValid()) lock.release();
    } finally {
      ch.close();
    }
  }
}
