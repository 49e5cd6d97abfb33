package org.maiaos.mesh.hypercore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Positional read/write loops and directory fsync, shared by the storage files. */
final class FileIo {
  private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private FileIo() {}

  /** Writes all of {@code src} at {@code pos}; a positional write may be short, so loop. */
  static void writeFully(FileChannel ch, ByteBuffer src, long pos) throws IOException {
    long p = pos;
    while (src.hasRemaining()) p += ch.write(src, p);
  }

  /** Reads into {@code dst} from {@code pos} until it is full or the file ends; returns the bytes read. */
  static int readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
    int start = dst.position();
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos + (dst.position() - start));
      if (n < 0) break;
    }
    return dst.position() - start;
  }

  /**
   * Makes a directory's entries (a rename, a new file) durable. Linux and macOS allow fsync on a
   * directory opened read-only; Windows cannot open one and persists renames itself.
   */
  static void fsyncDir(Path dir) throws IOException {
    if (WINDOWS) return;
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
