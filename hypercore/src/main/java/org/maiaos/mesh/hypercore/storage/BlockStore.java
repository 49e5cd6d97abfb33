package org.maiaos.mesh.hypercore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Blocks: their bytes in the {@code data} heap, which only grows, and a fixed 16-byte slot per
 * block index in the {@code index} file: {@code u64le heapOffset + 1 (0 = absent) | u32le length |
 * u32le crc32c(bytes)}. The checksum catches a damaged heap on every read.
 */
final class BlockStore implements Closeable {
  static final int SLOT_BYTES = 16;

  private final FileChannel indexOut;
  private final FileChannel dataOut;
  private final ReadChannel indexIn;
  private final ReadChannel dataIn;

  private BlockStore(FileChannel indexOut, FileChannel dataOut, ReadChannel indexIn, ReadChannel dataIn) {
    this.indexOut = indexOut;
    this.dataOut = dataOut;
    this.indexIn = indexIn;
    this.dataIn = dataIn;
  }

  static BlockStore open(Path indexFile, Path dataFile) throws IOException {
    return open(indexFile, dataFile, true);
  }

  /** With {@code writable} false nothing can be written (a read-only snapshot). */
  static BlockStore open(Path indexFile, Path dataFile, boolean writable) throws IOException {
    StandardOpenOption[] mode = writable ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
        : new StandardOpenOption[] {StandardOpenOption.READ};
    List<Closeable> opened = new ArrayList<>();
    try {
      FileChannel indexOut = add(opened, FileChannel.open(indexFile, mode));
      FileChannel dataOut = add(opened, FileChannel.open(dataFile, mode));
      ReadChannel indexIn = add(opened, new ReadChannel(indexFile));
      ReadChannel dataIn = add(opened, new ReadChannel(dataFile));
      return new BlockStore(indexOut, dataOut, indexIn, dataIn);
    } catch (IOException e) {
      for (Closeable c : opened) {
        try {
          c.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static <T extends Closeable> T add(List<Closeable> opened, T c) {
    opened.add(c);
    return c;
  }

  /**
   * Writes the entry's blocks: all their bytes to the heap at the entry's offset in one write, then
   * their slots from one buffer, one write per run of consecutive indices.
   */
  void write(OplogEntry e) throws IOException {
    int count = e.blockIndex.length;
    if (count == 0) return;
    FileIo.writeFully(dataOut, ByteBuffer.wrap(e.buf, e.valuesOffset, e.valuesBytes), e.heapOffset);
    byte[] slots = new byte[count * SLOT_BYTES];
    ByteBuffer bb = ByteBuffer.wrap(slots).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    long heapPos = e.heapOffset;
    int at = e.valuesOffset;
    for (int i = 0; i < count; i++) {
      int len = e.blockLength[i];
      crc.reset();
      crc.update(e.buf, at, len);
      bb.putLong(i * SLOT_BYTES, heapPos + 1);
      bb.putInt(i * SLOT_BYTES + 8, len);
      bb.putInt(i * SLOT_BYTES + 12, (int) crc.getValue());
      heapPos += len;
      at += len;
    }
    int runStart = 0;
    for (int i = 1; i <= count; i++) {
      if (i == count || e.blockIndex[i] != e.blockIndex[i - 1] + 1) {
        FileIo.writeFully(indexOut, ByteBuffer.wrap(slots, runStart * SLOT_BYTES, (i - runStart) * SLOT_BYTES), e.blockIndex[runStart] * SLOT_BYTES);
        runStart = i;
      }
    }
  }

  /** Marks in {@code held} every block the index file has a slot for, reading it in large chunks. */
  void scanHeld(HeldBlocks held) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(4096 * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long index = 0;
    for (;;) {
      chunk.clear();
      int n = indexIn.read(chunk, index * SLOT_BYTES);
      int slots = n / SLOT_BYTES;
      for (int i = 0; i < slots; i++) {
        if (chunk.getLong(i * SLOT_BYTES) != 0) held.set(index + i);
      }
      if (n < chunk.capacity()) return;
      index += slots;
    }
  }

  /** Forgets blocks from {@code length} on; their heap bytes stay until the file is compacted. */
  void truncate(long length) throws IOException {
    if (indexOut.size() > length * SLOT_BYTES) indexOut.truncate(length * SLOT_BYTES);
  }

  /** Whether block {@code index} (at most 2^53) has a slot. Thread-safe. */
  boolean has(long index) throws IOException {
    ByteBuffer slot = readSlot(index);
    return slot != null && slot.getLong(0) != 0;
  }

  /**
   * Block {@code index}, or null when absent. Thread-safe. The stored length is bounded by the
   * limit and the heap end before the buffer is allocated, and the bytes must match their checksum.
   */
  byte[] read(long index, long heapEnd, int maxBlockBytes) throws IOException {
    ByteBuffer slot = readSlot(index);
    if (slot == null || slot.getLong(0) == 0) return null;
    long offset = slot.getLong(0) - 1;
    long length = slot.getInt(8) & 0xFFFFFFFFL;
    int expected = slot.getInt(12);
    if (length > maxBlockBytes) {
      throw CoreError.STORAGE_CORRUPT.error("block %d: stored length %d is over the %d-byte limit", index, length, maxBlockBytes);
    }
    if (offset < 0 || offset > heapEnd - length) {
      throw CoreError.STORAGE_CORRUPT.error("block %d: stored at %s+%d, past the heap end %d", index, Long.toUnsignedString(offset), length, heapEnd);
    }
    byte[] value = new byte[(int) length];
    if (dataIn.read(ByteBuffer.wrap(value), offset) < length) {
      throw CoreError.STORAGE_CORRUPT.error("block %d: data file ends before its %d bytes at %d", index, length, offset);
    }
    CRC32C crc = new CRC32C();
    crc.update(value);
    if ((int) crc.getValue() != expected) {
      throw CoreError.STORAGE_CORRUPT.error("block %d failed its checksum (stored %08x, computed %08x)", index, expected, (int) crc.getValue());
    }
    return value;
  }

  private ByteBuffer readSlot(long index) throws IOException {
    ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int n = indexIn.read(slot, index * SLOT_BYTES);
    if (n == 0) return null;
    if (n < SLOT_BYTES) throw CoreError.STORAGE_CORRUPT.error("index file ends inside the slot of block %d", index);
    return slot;
  }

  void force() throws IOException {
    indexOut.force(true);
    dataOut.force(true);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable c : new Closeable[] {indexIn, dataIn, indexOut, dataOut}) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) first = e;
        else first.addSuppressed(e);
      }
    }
    if (first != null) throw first;
  }
}
