package org.maiaos.mesh.node.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream line by line as bytes ({@code \n} or {@code \r\n} ends a line), holding at most
 * {@code maxLine} bytes of one: a longer line is skipped to its end and reported as too long, so
 * an endless line never fills the heap.
 */
final class LineReader {
  /** One line: its bytes (empty when too long), its number from 1, and whether it was over the limit. */
  record Line(byte[] bytes, long number, boolean tooLong) {}

  private final InputStream in;
  private final int maxLine;
  private long number;

  LineReader(InputStream in, int maxLine) {
    this.in = new BufferedInputStream(in);
    this.maxLine = maxLine;
  }

  /** The next line, or null at the end of the stream. */
  Line next() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean any = false;
    boolean tooLong = false;
    for (int c; (c = in.read()) != -1; ) {
      any = true;
      if (c == '\n') return line(line, tooLong);
      // one byte over the limit is kept for a '\r' before the newline
      if (line.size() > maxLine) tooLong = true;
      if (!tooLong) line.write(c);
    }
    return any ? line(line, tooLong) : null;
  }

  private Line line(ByteArrayOutputStream line, boolean tooLong) {
    number++;
    if (tooLong) return new Line(new byte[0], number, true);
    byte[] b = line.toByteArray();
    if (b.length > 0 && b[b.length - 1] == '\r') b = Arrays.copyOf(b, b.length - 1);
    if (b.length > maxLine) return new Line(new byte[0], number, true);
    return new Line(b, number, false);
  }
}
