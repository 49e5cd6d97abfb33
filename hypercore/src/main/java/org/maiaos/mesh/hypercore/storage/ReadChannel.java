package org.maiaos.mesh.hypercore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only channel shared by all reader threads. An interrupted thread makes a
 * {@link FileChannel} close itself for everyone (it is an {@code InterruptibleChannel}); here the
 * interrupted reader still gets its {@link ClosedByInterruptException}, but the channel is reopened
 * and the other readers retry, so one cancelled read cannot break the storage. Writers use their own
 * channels, so this never touches a write in progress.
 */
final class ReadChannel implements Closeable {
  private final Path path;
  private volatile FileChannel ch;
  private volatile boolean closed;

  ReadChannel(Path path) throws IOException {
    this.path = path;
    this.ch = FileChannel.open(path, StandardOpenOption.READ);
  }

  /** Reads into {@code dst} from {@code pos} until full or end of file; returns the bytes read. */
  int read(ByteBuffer dst, long pos) throws IOException {
    int start = dst.position();
    for (;;) {
      FileChannel c = ch;
      try {
        return FileIo.readFully(c, dst, pos);
      } catch (ClosedByInterruptException e) {
        reopen(c);
        throw e;
      } catch (ClosedChannelException e) { // also AsynchronousCloseException: another reader was interrupted
        if (closed) throw e;
        reopen(c);
        dst.position(start);
      }
    }
  }

  private synchronized void reopen(FileChannel old) throws IOException {
    if (closed || ch != old) return;
    ch = FileChannel.open(path, StandardOpenOption.READ);
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    ch.close();
  }
}
