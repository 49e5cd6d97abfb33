package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a failed fetch fails at once with its real cause, not after its whole timeout with a
 * blame on the timeout. Each case gives a generous {@code --timeout} it does not need: the message
 * naming the real cause shows the fast path (no test asserts on time).
 */
class FetchFailuresIT {
  private static final String SEED = "0404040404040404040404040404040404040404040404040404040404040404";
  private static final String OTHER_KEY = "ab".repeat(32);

  @TempDir Path tmp;

  @Test
  void aWrongKeyFailsAtOnceNamingTheKeyTyped() throws Exception {
    Path dir = tmp.resolve("core");
    String key = CoreServeProcess.createCore(dir, SEED, "one\ntwo\n");
    try (CoreServeProcess serve = CoreServeProcess.start(dir, tmp.resolve("serve.err"))) {
      String endpoint = serve.endpoint();
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", OTHER_KEY, "--connect", endpoint, "--index", "0", "--timeout", "600");
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().startsWith("mesh: BLOCK_NOT_AVAILABLE: the peer at " + endpoint + " does not have core " + OTHER_KEY), r.err());
      CoreCommandsTest.Result bee = CoreCommandsTest.mesh(null, "bee", "fetch", OTHER_KEY, "--connect", endpoint, "--get", "k", "--timeout", "600");
      assertEquals(1, bee.code(), bee.err());
      assertTrue(bee.err().startsWith("mesh: BLOCK_NOT_AVAILABLE: the peer at " + endpoint + " does not have core " + OTHER_KEY), bee.err());
      // the right key still fetches over the same server
      CoreCommandsTest.Result ok = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", endpoint, "--index", "1", "--timeout", "600");
      assertEquals(0, ok.code(), ok.err());
    }
  }

  /** Answers every connection with an HTTP error and closes it, as a web server would. */
  private static Thread httpServer(ServerSocket server) {
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          in.read(new byte[4096]);
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception e) {
          // closed by the test
        }
      }
    }, "test-http");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aPeerThatIsNotAHypercoreFailsAtOnceWithItsHandshakeError() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      httpServer(server);
      String endpoint = "127.0.0.1:" + server.getLocalPort();
      for (String[] args : List.of(
          new String[] {"core", "fetch", OTHER_KEY, "--connect", endpoint, "--index", "0", "--timeout", "600"},
          new String[] {"bee", "fetch", OTHER_KEY, "--connect", endpoint, "--get", "k", "--timeout", "600"})) {
        CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, args);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the peer at " + endpoint + " is not a hypercore peer: the secret-stream handshake failed"), r.err());
        assertTrue(!r.err().contains("REQUEST_TIMEOUT"), r.err());
      }
    }
  }

  @Test
  void aRefusedConnectionIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", OTHER_KEY, "--connect", "127.0.0.1:" + port, "--index", "0");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("mesh: CONNECTION_FAILED: cannot connect to 127.0.0.1:" + port + ": "), r.err());
    assertTrue(r.err().contains("refused"), r.err());
  }

  @Test
  void timeoutIsHonouredAgainstAPeerThatNeverAnswers() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String endpoint = "127.0.0.1:" + server.getLocalPort(); // accepted by the backlog, never read nor answered
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", OTHER_KEY, "--connect", endpoint, "--index", "0", "--timeout", "1");
      assertEquals(1, r.code(), r.err());
      // the secret-stream handshake gives up only after 10 s: this is the 1 s --timeout
      assertTrue(r.err().startsWith("mesh: REQUEST_TIMEOUT: "), r.err());
      assertTrue(r.err().contains("within 1 s (--timeout)"), r.err());
      CoreCommandsTest.Result bad = CoreCommandsTest.mesh(null, "core", "fetch", OTHER_KEY, "--connect", endpoint, "--index", "0", "--timeout", "0");
      assertEquals(1, bad.code());
      assertTrue(bad.err().contains("BAD_ARGUMENT: --timeout"), bad.err());
    }
  }
}
