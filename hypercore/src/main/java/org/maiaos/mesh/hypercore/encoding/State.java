package org.maiaos.mesh.hypercore.encoding;

import org.maiaos.mesh.hypercore.CoreError;

/**
 * The cursor of compact-encoding: {@code start} is the read/write position, {@code end} the limit.
 * Encoding is two-pass as in JS: every codec's {@code preencode} grows {@code end}, then
 * {@link #alloc()} sizes the buffer once and {@code encode} fills it.
 */
public final class State {
  public int start;
  public int end;
  public byte[] buffer;

  public State() {}

  private State(byte[] buffer, int start, int end) {
    this.buffer = buffer;
    this.start = start;
    this.end = end;
  }

  /** A state for decoding all of {@code bytes}. */
  public static State of(byte[] bytes) {
    return new State(bytes, 0, bytes.length);
  }

  /** A state for decoding {@code bytes[from, to)}. */
  public static State of(byte[] bytes, int from, int to) {
    if (from < 0 || to > bytes.length || from > to) throw CoreError.BAD_ARGUMENT.error("range %d..%d of %d", from, to, bytes.length);
    return new State(bytes, from, to);
  }

  /** Allocates the buffer after the preencode pass and rewinds to its start. */
  public State alloc() {
    buffer = new byte[end];
    start = 0;
    return this;
  }

  public int remaining() {
    return end - start;
  }

  /** Throws DECODING_ERROR unless {@code n} more bytes can be read. */
  public void require(long n) {
    if (n < 0 || n > end - start) {
      throw CoreError.DECODING_ERROR.error("out of bounds: need %d bytes, %d left", n, end - start);
    }
  }

  /** Throws DECODING_ERROR if any bytes are left after a full decode. */
  public void requireEnd() {
    if (start != end) throw CoreError.DECODING_ERROR.error("%d trailing bytes", end - start);
  }
}
