package org.maiaos.mesh.hyperswarm.secretstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Splits the raw byte stream into secret-stream frames, {@code uint24_le(len) || body}, and emits
 * each body as a {@code byte[]}. The length is checked against the current bound as soon as its 3
 * bytes are in, before the body is waited for (LengthFieldBasedFrameDecoder's fail-fast); the
 * bound is set by {@link SecretStreamHandler} for each phase. After one error every further byte
 * is discarded. Bytes left over when the stream ends are a truncated frame.
 */
final class SecretStreamFrameDecoder extends ByteToMessageDecoder {
  static final int LENGTH_BYTES = 3;

  private int maxFrameBytes;
  private boolean failed;
  private long bytesSeen;

  SecretStreamFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  void maxFrameBytes(int max) {
    this.maxFrameBytes = max;
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Raw bytes received so far, for the idle timeout (a slow large frame is not idleness). */
  long bytesSeen() {
    return bytesSeen;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf b) bytesSeen += b.readableBytes();
    super.channelRead(ctx, msg);
  }

  /** Stops decoding for good: everything that arrives from now on is dropped. */
  void discardAll() {
    failed = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < LENGTH_BYTES) return;
    int len = in.getUnsignedMediumLE(in.readerIndex());
    if (len > maxFrameBytes) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw CoreError.DECODING_ERROR.error("frame of %d bytes over the limit of %d", len, maxFrameBytes);
    }
    if (in.readableBytes() - LENGTH_BYTES < len) return;
    in.skipBytes(LENGTH_BYTES);
    byte[] body = new byte[len];
    in.readBytes(body);
    out.add(body);
  }

  /**
   * Every whole frame was taken as it arrived, so bytes still buffered when the stream ends are the
   * start of a frame that never came. That is reported before the inactive event goes on, so the
   * handler knows why the stream ended by the time it hears that it did.
   */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ByteBuf rest = internalBuffer();
    if (!failed && rest.isReadable()) {
      int have = rest.readableBytes();
      String want = have >= LENGTH_BYTES ? Integer.toString(rest.getUnsignedMediumLE(rest.readerIndex())) : "?";
      failed = true;
      ctx.fireExceptionCaught(CoreError.DECODING_ERROR.error(
          "stream ended inside a frame: %d bytes of a %s-byte frame and its 3-byte length", have, want));
    }
    super.channelInactive(ctx);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    in.skipBytes(in.readableBytes()); // reported in channelInactive
  }
}
