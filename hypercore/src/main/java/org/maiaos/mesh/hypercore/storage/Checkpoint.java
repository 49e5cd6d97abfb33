package org.maiaos.mesh.hypercore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code header} file: the core's fixed {@link CoreHeader} plus the state every oplog entry up
 * to {@code seq} has been folded into: the head and the end of the block heap. It is replaced
 * atomically (write a temporary file, fsync, rename, fsync the directory), so after any crash it
 * is either the old or the new checkpoint, never a mix.
 *
 * <p>Format: {@code "hcst" | u32le version | body | u32le crc32c(everything before)}, body =
 * {@code CoreHeader | Head | uint heapEnd | uint seq}.
 */
record Checkpoint(CoreHeader header, Head head, long heapEnd, long seq) {
  static final String FILE = "header";
  static final String TMP_FILE = "header.tmp";
  private static final byte[] MAGIC = "hcst".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int FIXED_BYTES = 12; // magic, version, crc

  byte[] encode() {
    State s = new State();
    CoreHeader.preencode(s, header);
    s.end += (int) Head.encodedBytes(head) + Uint.size(heapEnd) + Uint.size(seq);
    int body = s.end;
    byte[] out = new byte[FIXED_BYTES + body];
    System.arraycopy(MAGIC, 0, out, 0, 4);
    ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(4, VERSION);
    s.buffer = out;
    s.start = 8;
    s.end = 8 + body;
    CoreHeader.encode(s, header);
    Head.encode(s, head);
    Uint.encode(s, heapEnd);
    Uint.encode(s, seq);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, 8 + body);
    bb.putInt(8 + body, (int) crc.getValue());
    return out;
  }

  /** STORAGE_CORRUPT unless {@code bytes} is a whole, checksummed checkpoint within the limits. */
  static Checkpoint decode(byte[] bytes, StorageLimits limits) {
    if (bytes.length < FIXED_BYTES) throw CoreError.STORAGE_CORRUPT.error("header file is %d bytes, too short", bytes.length);
    if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) throw CoreError.STORAGE_CORRUPT.error("header file has no hypercore magic");
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int crcAt = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, crcAt);
    if ((int) crc.getValue() != bb.getInt(crcAt)) throw CoreError.STORAGE_CORRUPT.error("header file checksum mismatch");
    int version = bb.getInt(4);
    if (version != VERSION) throw CoreError.STORAGE_CORRUPT.error("header file version %d, this build reads %d", version, VERSION);
    try {
      State s = State.of(bytes, 8, crcAt);
      CoreHeader header = CoreHeader.decode(s);
      byte[] manifest = header.manifest();
      if (manifest != null && manifest.length > limits.maxManifestBytes()) {
        throw CoreError.DECODING_ERROR.error("manifest of %d bytes over the limit", manifest.length);
      }
      Head head = Head.decode(s, limits.maxSignatureBytes());
      long heapEnd = Uint.decode(s);
      long seq = Uint.decode(s);
      s.requireEnd();
      return new Checkpoint(header, head, heapEnd, seq);
    } catch (HypercoreException e) {
      throw CoreError.STORAGE_CORRUPT.error(e, "header file does not decode: %s", e.getMessage());
    }
  }

  /** Reads and decodes {@code dir/header}; its size is bounded before it is read. */
  static Checkpoint read(Path dir, StorageLimits limits) throws IOException {
    Path file = dir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > limits.maxHeaderBytes()) {
        throw CoreError.STORAGE_CORRUPT.error("header file is %d bytes, over the %d-byte limit", size, limits.maxHeaderBytes());
      }
      byte[] bytes = new byte[(int) size];
      if (FileIo.readFully(ch, ByteBuffer.wrap(bytes), 0) != size) throw CoreError.STORAGE_CORRUPT.error("header file changed while read");
      return decode(bytes, limits);
    }
  }

  /**
   * Replaces {@code dir/header} atomically and durably. The file holds the secret key, so where the
   * file system has POSIX permissions it is created owner-only.
   */
  void write(Path dir) throws IOException {
    Path tmp = dir.resolve(TMP_FILE);
    Files.deleteIfExists(tmp);
    try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(dir))) {
      FileIo.writeFully(ch, ByteBuffer.wrap(encode()), 0);
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    FileIo.fsyncDir(dir);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }

  @Override
  public String toString() {
    return "Checkpoint[" + header + ", " + head + ", heapEnd=" + heapEnd + ", seq=" + seq + "]";
  }
}
