package org.maiaos.mesh.node.sync;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Internal. The first handler of every connection of the sync port, shared by all of them: a
 * plain version 13 WebSocket upgrade ({@code GET}, HTTP/1.1, {@code Upgrade: websocket}, {@code
 * Connection: upgrade}, a key, the whole head in the first read and nothing after it: what
 * cojson-transport-ws, browsers and the {@code ws} package send) is answered here from the bytes
 * as they came, without building an HTTP request, its headers, a handshaker and a response
 * object, and without the HTTP codec and aggregator in the pipeline. That was about 8 KiB of
 * garbage per connection, most of what a burst of 10,000 connections allocated.
 *
 * <p>Anything else (another method or path such as {@code /health} and the {@link HttpRoute}s,
 * another WebSocket version, a head split over reads, a body, a folded or odd header line) goes,
 * byte for byte, to the general path: Netty's HTTP codec, its aggregator and
 * {@link HttpUpgradeHandler}, which answer it as before. The answer here is the one that path
 * gives to the same request: the same 101 response, the same frame decoder and encoder
 * ({@code wsdecoder}, {@code wsencoder}), and {@link SyncFrameHandler} once the response is out.
 */
@ChannelHandler.Sharable
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
  /** A head longer than this goes to the general path (whose own limits apply). */
  static final int MAX_HEAD_BYTES = 8 << 10;
  private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONSE_HEAD = ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
      + "connection: upgrade\r\nsec-websocket-accept: ").getBytes(StandardCharsets.US_ASCII);
  private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() throws NoSuchAlgorithmException {
      return MessageDigest.getInstance("SHA-1");
    }
  };

  /**
   * Netty's version 13 frame encoder keeps no state of its own (its one field says not to mask), so
   * every upgraded connection shares this one instead of holding its own.
   */
  static final WebSocket13FrameEncoder ENCODER = new WebSocket13FrameEncoder(false) {
    @Override
    public boolean isSharable() {
      return true;
    }
  };

  private final SyncServer server;

  WebSocketUpgradeHandler(SyncServer server) {
    this.server = server;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf b)) {
      ctx.fireChannelRead(msg); // a frame decoded while our 101 is being written: dropped at the tail, as before
      return;
    }
    byte[] key = plainUpgradeKey(b);
    if (key == null) {
      generalPath(ctx, msg);
      return;
    }
    b.release();
    ChannelPipeline p = ctx.pipeline();
    p.addBefore(ctx.name(), "wsencoder", ENCODER);
    p.addBefore(ctx.name(), "wsdecoder", new WebSocket13FrameDecoder(server.wsDecoderConfig()));
    ByteBuf res = ctx.alloc().buffer(RESPONSE_HEAD.length + 32);
    res.writeBytes(RESPONSE_HEAD).writeBytes(accept(key)).writeByte('\r').writeByte('\n').writeByte('\r').writeByte('\n');
    ctx.channel().writeAndFlush(res).addListener(f -> {
      if (f.isSuccess()) p.replace(this, "sync", new SyncFrameHandler(server));
      else ctx.close();
    });
  }

  /** Hands {@code msg}, and everything after it, to Netty's HTTP codec and {@link HttpUpgradeHandler}. */
  private void generalPath(ChannelHandlerContext ctx, Object msg) {
    ChannelPipeline p = ctx.pipeline();
    p.addAfter(ctx.name(), "http", new HttpServerCodec());
    p.addAfter("http", "aggregate-http", new HttpObjectAggregator(64 << 10));
    p.addAfter("aggregate-http", "upgrade", new HttpUpgradeHandler(server));
    p.remove(this);
    ctx.fireChannelRead(msg);
  }

  /** {@code Sec-WebSocket-Accept} of {@code key} (RFC 6455 section 4.2.2): base64 of SHA-1 of the key and the GUID. */
  static byte[] accept(byte[] key) {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    sha1.update(key);
    sha1.update(GUID);
    return Base64.getEncoder().encode(sha1.digest());
  }

  /**
   * The key of {@code b} when it holds exactly the head of a plain version 13 upgrade that the
   * general path would accept on a path that is neither {@code /health} nor a route; else null.
   * Reads {@code b} without moving its indices.
   */
  byte[] plainUpgradeKey(ByteBuf b) {
    int from = b.readerIndex();
    int end = b.writerIndex();
    if (end - from > MAX_HEAD_BYTES || end - from < 4) return null;
    // the head ends with the buffer: \r\n\r\n last and nowhere before
    if (b.getByte(end - 4) != '\r' || b.getByte(end - 3) != '\n' || b.getByte(end - 2) != '\r' || b.getByte(end - 1) != '\n') return null;
    int lineEnd = b.indexOf(from, end, (byte) '\r');
    if (lineEnd < 0 || b.getByte(lineEnd + 1) != '\n') return null;
    if (!requestLineIsPlainGet(b, from, lineEnd)) return null;
    boolean upgrade = false;
    boolean connectionUpgrade = false;
    boolean version13 = false;
    byte[] key = null;
    int at = lineEnd + 2;
    while (true) {
      int eol = b.indexOf(at, end, (byte) '\r');
      if (eol < 0 || b.getByte(eol + 1) != '\n') return null;
      if (eol == at) break; // the empty line: end of the head
      if (eol + 2 == end) return null; // a header line without the empty line after it
      int colon = b.indexOf(at, eol, (byte) ':');
      if (colon <= at || !isToken(b, at, colon)) return null; // also refuses folded lines (leading space)
      int vFrom = colon + 1;
      int vTo = eol;
      while (vFrom < vTo && isOws(b.getByte(vFrom))) vFrom++;
      while (vTo > vFrom && isOws(b.getByte(vTo - 1))) vTo--;
      if (!isPlainValue(b, vFrom, vTo)) return null;
      int nameLength = colon - at;
      if (nameIs(b, at, nameLength, "upgrade")) {
        if (upgrade || !equalsIgnoreCase(b, vFrom, vTo, "websocket")) return null;
        upgrade = true;
      } else if (nameIs(b, at, nameLength, "connection")) {
        connectionUpgrade |= hasToken(b, vFrom, vTo, "upgrade");
      } else if (nameIs(b, at, nameLength, "sec-websocket-version")) {
        if (version13 || !equalsIgnoreCase(b, vFrom, vTo, "13")) return null;
        version13 = true;
      } else if (nameIs(b, at, nameLength, "sec-websocket-key")) {
        if (key != null || vTo == vFrom) return null;
        key = new byte[vTo - vFrom];
        b.getBytes(vFrom, key);
      } else if (nameIs(b, at, nameLength, "content-length")) {
        if (!equalsIgnoreCase(b, vFrom, vTo, "0")) return null;
      } else if (nameIs(b, at, nameLength, "transfer-encoding")) {
        return null;
      }
      at = eol + 2;
    }
    return upgrade && connectionUpgrade && version13 ? key : null;
  }

  /** {@code GET <path> HTTP/1.1}, the path neither {@code /health} nor a route, and no escapes in it. */
  private boolean requestLineIsPlainGet(ByteBuf b, int from, int to) {
    if (to - from < 14 || !equalsExactly(b, from, "GET ") || !equalsExactly(b, to - 9, " HTTP/1.1")) return false;
    int uriFrom = from + 4;
    int uriTo = to - 9;
    if (uriTo <= uriFrom || b.getByte(uriFrom) != '/') return false;
    int pathTo = uriFrom;
    while (pathTo < uriTo) {
      byte c = b.getByte(pathTo);
      if (c == '?') break;
      if (c <= ' ' || c >= 127 || c == '%' || c == ';' || c == '#') return false;
      pathTo++;
    }
    for (int i = pathTo; i < uriTo; i++) {
      byte c = b.getByte(i);
      if (c <= ' ' || c >= 127) return false;
    }
    String path = b.toString(uriFrom, pathTo - uriFrom, StandardCharsets.US_ASCII);
    return !path.equals("/health") && server.route(path) == null;
  }

  private static boolean equalsExactly(ByteBuf b, int from, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b.getByte(from + i) != s.charAt(i)) return false;
    }
    return true;
  }

  private static boolean nameIs(ByteBuf b, int at, int length, String name) {
    return length == name.length() && equalsIgnoreCase(b, at, at + length, name);
  }

  private static boolean equalsIgnoreCase(ByteBuf b, int from, int to, String s) {
    if (to - from != s.length()) return false;
    for (int i = 0; i < s.length(); i++) {
      int c = b.getByte(from + i);
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
      int d = s.charAt(i);
      if (d >= 'A' && d <= 'Z') d += 'a' - 'A';
      if (c != d) return false;
    }
    return true;
  }

  /** A comma-separated list value holding {@code token} (any case, spaces around the items). */
  private static boolean hasToken(ByteBuf b, int from, int to, String token) {
    int at = from;
    while (at <= to) {
      int comma = b.indexOf(at, to, (byte) ',');
      int itemTo = comma < 0 ? to : comma;
      int s = at;
      int e = itemTo;
      while (s < e && isOws(b.getByte(s))) s++;
      while (e > s && isOws(b.getByte(e - 1))) e--;
      if (equalsIgnoreCase(b, s, e, token)) return true;
      if (comma < 0) return false;
      at = comma + 1;
    }
    return false;
  }

  private static boolean isOws(byte c) {
    return c == ' ' || c == '\t';
  }

  /** RFC 7230 token characters. */
  private static boolean isToken(ByteBuf b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** Visible ASCII, spaces and tabs only (anything else goes to the general path's validation). */
  private static boolean isPlainValue(ByteBuf b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      if ((c < ' ' && c != '\t') || c >= 127) return false;
    }
    return true;
  }
}
