package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;

/**
 * What the JS interop tests of dht-rpc and HyperDHT share: one JS peer process ({@code
 * interop/dht-rpc-peer.js} or {@code interop/hyperdht-peer.js}), and the real-UDP transport and
 * scheduler Java nodes open on, on 127.0.0.1. Close it after each test, with the Java nodes.
 */
public final class JsInteropNet {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("hyperswarm-test-udp"));
  private final ExecutorScheduler scheduler = new ExecutorScheduler();
  private final DatagramTransport.Binder udp = NettyDatagramTransport.binder(group, RpcLimits.DEFAULT.maxDatagramBytes());
  private final DatagramTransport.Binder udx = org.maiaos.mesh.hyperswarm.dht.UdxDatagramTransport.binder(group,
      org.maiaos.mesh.hyperswarm.udx.UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes());
  private final JsPeer js;

  /** Starts {@code script} from {@code interop/} with no options. */
  public JsInteropNet(String script) {
    js = JsPeer.start(script, JsPeer.obj());
  }

  public ExecutorScheduler scheduler() {
    return scheduler;
  }

  public DatagramTransport.Binder udp() {
    return udp;
  }

  /** Sockets shared by dht-rpc and UDX streams, for nodes that connect and listen. */
  public DatagramTransport.Binder udx() {
    return udx;
  }

  /** Sends one command to the JS peer and returns its answer, which must be the event {@code event}. */
  public JsonNode call(ObjectNode cmd, String event) {
    js.command(cmd);
    JsonNode e = js.next();
    if (e.path("event").asText().equals("error")) throw new AssertionError("JS failed: " + e);
    assertEquals(event, e.path("event").asText(), e.toString());
    return e;
  }

  /** Ends the JS peer first, then the Java nodes, then the scheduler and the event loop. */
  public void close(List<? extends AutoCloseable> javaNodes) throws Exception {
    js.close();
    for (AutoCloseable d : javaNodes) d.close();
    scheduler.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  /** Writes addresses as the JS peers take them: {@code [{host, port}]}. */
  public static void addresses(ArrayNode arr, List<PeerAddress> list) {
    for (PeerAddress a : list) arr.addObject().put("host", a.host()).put("port", a.port());
  }

  public static List<PeerAddress> addresses(JsonNode arr) {
    List<PeerAddress> out = new ArrayList<>();
    for (JsonNode n : arr) out.add(new PeerAddress(n.get("host").asText(), n.get("port").asInt()));
    return out;
  }
}
