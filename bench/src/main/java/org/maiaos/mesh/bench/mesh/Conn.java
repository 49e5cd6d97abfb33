package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.maiaos.mesh.bench.sync.WsClient;

/**
 * One load-generator client of the mesh benchmark: a WebSocket to a sync server, with listeners by
 * CoValue id for {@code known} and {@code content} replies (called on the connection's event loop).
 */
final class Conn implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The longest any one reply is waited for. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private WsClient ws;
  private final Map<String, Consumer<JsonNode>> known = new ConcurrentHashMap<>();
  private final Map<String, Consumer<JsonNode>> content = new ConcurrentHashMap<>();

  static Conn open(EventLoopGroup group, String url) throws Exception {
    Conn c = new Conn();
    c.ws = WsClient.connect(group, URI.create(url), c::onLine).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  private void onLine(String line) {
    if (line.startsWith("{\"type\":\"ping\"")) return;
    JsonNode m;
    try {
      m = JSON.readTree(line);
    } catch (Exception e) {
      return;
    }
    Consumer<JsonNode> l = ("known".equals(m.path("action").asText()) ? known : content).get(m.path("id").asText());
    if (l != null) l.accept(m);
  }

  void onKnown(String id, Consumer<JsonNode> l) {
    known.put(id, l);
  }

  void onContent(String id, Consumer<JsonNode> l) {
    content.put(id, l);
  }

  void forget(String id) {
    known.remove(id);
    content.remove(id);
  }

  void send(String msg) {
    ws.send(msg);
  }

  /** Sends {@code msg} and waits for a {@code known} of {@code id} whose sessions add up to {@code count}. */
  void sendAndAwaitKnown(String msg, String id, long count) {
    CountDownLatch l = new CountDownLatch(1);
    onKnown(id, k -> {
      if (total(k) >= count) l.countDown();
    });
    send(msg);
    await(l, "known of " + id);
    known.remove(id);
  }

  /** A {@code load} of {@code id} with nothing known; waits for its content and returns it (fails on "not found"). */
  JsonNode load(String id) {
    CountDownLatch l = new CountDownLatch(1);
    JsonNode[] got = {null};
    String[] notFound = {null};
    onContent(id, c -> {
      got[0] = c;
      l.countDown();
    });
    onKnown(id, k -> {
      if (!k.path("header").asBoolean()) {
        notFound[0] = k.toString();
        l.countDown();
      }
    });
    send(loadMessage(id));
    await(l, "content of " + id);
    forget(id);
    if (notFound[0] != null) throw new IllegalStateException("the server does not have " + id + ": " + notFound[0]);
    return got[0];
  }

  static String loadMessage(String id) {
    return "{\"action\":\"load\",\"id\":\"" + id + "\",\"header\":false,\"sessions\":{}}";
  }

  /** The transactions a known state lists, all sessions together. */
  static long total(JsonNode known) {
    long sum = 0;
    for (JsonNode v : known.path("sessions")) sum += v.asLong();
    return sum;
  }

  /** How many transactions of {@code session} a content message brings the receiver to ({@code after} + new ones), or -1. */
  static long endOf(JsonNode content, String session) {
    JsonNode s = content.path("new").path(session);
    return s.isMissingNode() ? -1 : s.path("after").asLong() + s.path("newTransactions").size();
  }

  static void await(CountDownLatch l, String what) {
    try {
      if (!l.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException("timed out (" + WAIT + ") waiting for " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    ws.close();
  }
}
