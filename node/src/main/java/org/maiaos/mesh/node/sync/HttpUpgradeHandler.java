package org.maiaos.mesh.node.sync;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;

/**
 * Internal. The HTTP side of the sync port, as {@code jazz-run}'s server: {@code GET /health}
 * answers 200 {@code ok}, and a plain {@code GET} of a path the server was given a
 * {@link HttpRoute} for answers that; a WebSocket upgrade on any other path (query ignored)
 * becomes a sync connection; anything else gets 426.
 */
final class HttpUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final SyncServer server;

  HttpUpgradeHandler(SyncServer server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).path();
    if (req.method() == HttpMethod.GET && path.equals("/health")) {
      respond(ctx, req, HttpResponseStatus.OK, "ok");
      return;
    }
    HttpRoute route = req.method() == HttpMethod.GET ? server.route(path) : null;
    if (route != null && !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      HttpRoute.Reply r = route.get();
      respond(ctx, req, HttpResponseStatus.OK, r.contentType(), r.body());
      return;
    }
    if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      respond(ctx, req, HttpResponseStatus.UPGRADE_REQUIRED, "this is a cojson sync server: connect with a WebSocket");
      return;
    }
    String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, server.wsDecoderConfig()).newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    handshaker.handshake(ctx.channel(), req).addListener(f -> {
      if (f.isSuccess()) {
        ctx.pipeline().replace(this, "sync", new SyncFrameHandler(server));
      }
      else ctx.close();
    });
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
    respond(ctx, req, status, "text/plain; charset=utf-8", body);
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String contentType,
      String body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(req) && status == HttpResponseStatus.OK;
    if (keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
  }
}
