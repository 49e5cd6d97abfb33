package org.maiaos.mesh.node.sync.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * A raw sync-protocol client on the JDK's WebSocket: sends text frames exactly as given (one line,
 * several {@code \n}-joined lines, or any text or bytes for bad-input probes) and records every line
 * the server sends, JSON-parsed, with the server's pings kept apart. Reads go through a mark: the
 * messages received since the last {@link #quiet} are the "current" replies. Every wait has a timeout;
 * a wait that fails throws a {@link HypercoreException} naming the client and what it got instead
 * ({@code REQUEST_TIMEOUT}, {@code SESSION_CLOSED} once the server closed or the connection failed,
 * {@code REQUEST_CANCELLED} if interrupted).
 */
public final class SyncClient implements AutoCloseable {
  /** The one JSON mapper of the client, the drafts and their callers (never reconfigured). */
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
  /** One client for every connection: java.net.http has no close in Java 17, so its selector thread lives on. */
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  /** How the server closed the connection, if it did. */
  public record Closed(int statusCode, String reason) {}

  private final String name;
  private final Object lock = new Object();
  private final List<JsonNode> messages = new ArrayList<>();
  private final List<Long> arrivals = new ArrayList<>();
  private final List<JsonNode> pings = new ArrayList<>();
  private final List<String> unparsable = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private int mark;
  private long lastArrivalNanos = System.nanoTime();
  private Closed closed;
  private Throwable error;
  private final WebSocket ws;

  private SyncClient(String name, String url) {
    this.name = name;
    try {
      this.ws = HTTP.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
          .buildAsync(URI.create(url), new Listener()).get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "%s: interrupted while connecting to %s", name, url);
    } catch (TimeoutException e) {
      throw CoreError.REQUEST_TIMEOUT.error(e, "%s: cannot connect to %s within %s", name, url, CONNECT_TIMEOUT.multipliedBy(2));
    } catch (ExecutionException e) {
      throw CoreError.SESSION_CLOSED.error(e, "%s: cannot connect to %s: %s", name, url, e.getCause());
    }
  }

  /** Opens a connection to {@code url} ({@code ws://HOST:PORT}); {@code name} labels failures. */
  public static SyncClient connect(String name, String url) {
    return new SyncClient(name, url);
  }

  /** Sends {@code lines} joined by {@code \n} as one text frame. */
  public SyncClient send(String... lines) {
    return sendText(String.join("\n", lines));
  }

  /** Sends {@code text} as one text frame, whatever it is. */
  public SyncClient sendText(String text) {
    await(ws.sendText(text, true), "sending a text frame of " + text.length() + " characters");
    return this;
  }

  /** Sends one text message as a frame per part (the first a text frame, then continuations). */
  public SyncClient sendFragments(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      await(ws.sendText(parts[i], i == parts.length - 1), "sending fragment " + (i + 1) + " of " + parts.length);
    }
    return this;
  }

  /** Sends {@code bytes} as one binary frame. */
  public SyncClient sendBinary(byte[] bytes) {
    await(ws.sendBinary(ByteBuffer.wrap(bytes), true), "sending a binary frame of " + bytes.length + " bytes");
    return this;
  }

  /** A message and when it arrived ({@link System#nanoTime}). */
  public record Arrival(JsonNode message, long nanoTime) {}

  /**
   * The first message received since the mark that matches {@code p}; waits up to {@code timeout}
   * for it and fails naming what it got instead. Does not move the mark.
   */
  public JsonNode awaitMessage(Predicate<JsonNode> p, Duration timeout) {
    return awaitArrival(p, timeout).message();
  }

  /** {@link #awaitMessage}, with the time the message arrived (it may have come before the call). */
  public Arrival awaitArrival(Predicate<JsonNode> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      int seen = mark;
      while (true) {
        for (; seen < messages.size(); seen++) if (p.test(messages.get(seen))) return new Arrival(messages.get(seen), arrivals.get(seen));
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed != null || error != null) {
          String got = (closed != null ? " (closed: " + closed + ")" : "") + (error != null ? " (error: " + error + ")" : "")
              + "; got " + messages.subList(mark, messages.size());
          throw (left <= 0 ? CoreError.REQUEST_TIMEOUT : CoreError.SESSION_CLOSED).error("%s: no matching message within %s%s", name, timeout, got);
        }
        waitNanos(left);
      }
    }
  }

  /**
   * Everything received since the mark once the connection has been silent (pings aside) for
   * {@code idle}, or at most {@code 20 × idle}; moves the mark past it. The idle window is how a
   * test sees that no (further) reply comes: the protocol has no "nothing to say" message.
   */
  public List<JsonNode> quiet(Duration idle) {
    long cap = System.nanoTime() + idle.toNanos() * 20;
    synchronized (lock) {
      lastArrivalNanos = Math.max(lastArrivalNanos, System.nanoTime());
      while (true) {
        long now = System.nanoTime();
        long silentUntil = lastArrivalNanos + idle.toNanos();
        if (now >= silentUntil || now >= cap) break;
        waitNanos(Math.min(silentUntil, cap) - now);
      }
      List<JsonNode> out = List.copyOf(messages.subList(mark, messages.size()));
      mark = messages.size();
      return out;
    }
  }

  /** Waits up to {@code timeout} for the server to close; null if it did not. */
  public Closed awaitClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (closed == null && error == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return null;
        waitNanos(left);
      }
      return closed != null ? closed : new Closed(-1, "error: " + error);
    }
  }

  /** The server's pings so far. */
  public List<JsonNode> pings() {
    synchronized (lock) {
      return List.copyOf(pings);
    }
  }

  /** Lines the server sent that were not JSON (none are expected). */
  List<String> unparsable() {
    synchronized (lock) {
      return List.copyOf(unparsable);
    }
  }

  public Closed closed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void waitNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(lock, Math.max(nanos, 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "%s: interrupted", name);
    }
  }

  private void await(CompletionStage<?> stage, String what) {
    try {
      stage.toCompletableFuture().get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "%s: interrupted %s", name, what);
    } catch (TimeoutException e) {
      throw CoreError.REQUEST_TIMEOUT.error(e, "%s: %s did not finish within %s", name, what, SEND_TIMEOUT);
    } catch (ExecutionException e) {
      throw CoreError.SESSION_CLOSED.error(e, "%s: failed %s: %s", name, what, e.getCause());
    }
  }

  private void received(String frame) {
    synchronized (lock) {
      for (String line : frame.split("\n", -1)) {
        if (line.isEmpty()) continue;
        JsonNode m;
        try {
          m = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          unparsable.add(line);
          continue;
        }
        if (m.isObject() && "ping".equals(m.path("type").asText(null)) && !m.has("action")) {
          pings.add(m);
        } else {
          messages.add(m);
          lastArrivalNanos = System.nanoTime();
          arrivals.add(lastArrivalNanos);
        }
      }
      lock.notifyAll();
    }
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        received(frame);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      synchronized (lock) {
        unparsable.add("(binary frame of " + data.remaining() + " bytes)");
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      synchronized (lock) {
        closed = new Closed(statusCode, reason);
        lock.notifyAll();
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable e) {
      synchronized (lock) {
        error = e;
        lock.notifyAll();
      }
    }
  }

  /** Closes normally, or aborts if the close handshake does not finish within 5 s. */
  @Override
  public void close() {
    try {
      if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the server went away first; abort below
    }
    ws.abort();
  }

  @Override
  public String toString() {
    return "SyncClient " + name;
  }
}
