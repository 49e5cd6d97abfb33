package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.concurrent.CompletableFuture;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * One request in flight: its encoded datagram (re-sent unchanged, same tid, on each retry), its
 * attempt count and timer. Owned by the scheduler thread; {@link #result} completes there.
 */
final class OutgoingRequest {
  final int tid;
  final PeerAddress to;
  final Key32 toId;
  final boolean internal;
  final long command;
  final Key32 token;
  final Key32 target;
  final byte[] value;
  /** Encoded on the first send, when the socket (and so the id flag) is final. */
  byte[] datagram;
  final CompletableFuture<Reply> result = new CompletableFuture<>();
  DatagramTransport socket;
  int retries;
  long timeoutMillis;
  int sent;
  long sentAt;
  boolean destroyed;
  boolean queued;
  Runnable onCycle;
  Scheduler.Cancellable timer;

  OutgoingRequest(int tid, PeerAddress to, Key32 toId, Key32 token, boolean internal, long command, Key32 target,
      byte[] value, DatagramTransport socket, int retries, long timeoutMillis) {
    this.tid = tid;
    this.to = to;
    this.toId = toId;
    this.internal = internal;
    this.command = command;
    this.token = token;
    this.target = target;
    this.value = value;
    this.socket = socket;
    this.retries = retries;
    this.timeoutMillis = timeoutMillis;
  }
}
