package org.maiaos.mesh.bench.sync;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A minimal WebSocket client connection on Netty for the load generator: text lines in, one message per frame out. */
public final class WsClient {
  private final Channel channel;

  private WsClient(Channel channel) {
    this.channel = channel;
  }

  /** Connects; {@code onLine} gets every received line (split on {@code \n}) on the channel's event loop. */
  private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();

  public static CompletableFuture<WsClient> connect(EventLoopGroup group, URI uri, Consumer<String> onLine) {
    CompletableFuture<WsClient> ready = new CompletableFuture<>();
    // jazz-run names a client peer "<address>@<ISO time in ms>" (x-forwarded-for first) and a new
    // peer replaces, and closes, an older one of the same name: connections opened from one
    // address in the same millisecond would drop each other. Each connection says it comes from
    // an address of its own, as clients behind a proxy do.
    int n = CLIENTS.incrementAndGet();
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.add("X-Forwarded-For", "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255));
    WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
        headers, 64 << 20);
    new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new SimpleChannelInboundHandler<Object>() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            hs.handshake(ctx.channel());
          }

          @Override
          protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!hs.isHandshakeComplete()) {
              hs.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
              ctx.pipeline().addBefore(ctx.name(), "agg", new WebSocketFrameAggregator(64 << 20));
              ready.complete(new WsClient(ctx.channel()));
              return;
            }
            if (msg instanceof TextWebSocketFrame t) {
              for (String line : t.text().split("\n")) if (!line.isEmpty()) onLine.accept(line);
            } else if (msg instanceof WebSocketFrame) {
              // pings, pongs and close frames: nothing to measure
            }
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            // a server that drops the connection before its 101 would otherwise leave us waiting
            ready.completeExceptionally(new java.io.IOException("the server closed the connection before the WebSocket handshake ended"));
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause);
            ctx.close();
          }
        });
      }
    }).connect(uri.getHost(), uri.getPort()).addListener(f -> {
      if (!f.isSuccess()) ready.completeExceptionally(f.cause());
    });
    return ready;
  }

  public void send(String line) {
    channel.writeAndFlush(new TextWebSocketFrame(line));
  }

  public void close() {
    channel.close();
  }
}
