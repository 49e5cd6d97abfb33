package org.maiaos.mesh.hyperswarm.dht.rpc;

import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * A request received from {@code from} on {@code socket}. A handler answers at most once with
 * {@link #reply} or {@link #error}, from any thread (an answer that needs storage or signing may
 * come later); replies go back through the socket the request came in on.
 * {@code fromId} is validated as in {@link Reply}. A token, if present, was already checked.
 */
public final class IncomingRequest {
  private final RpcIo io;
  private final DatagramTransport socket;
  private final PeerAddress from;
  private final Key32 fromId;
  private final DhtRequest message;
  private final java.util.concurrent.atomic.AtomicBoolean replied = new java.util.concurrent.atomic.AtomicBoolean();

  IncomingRequest(RpcIo io, DatagramTransport socket, PeerAddress from, Key32 fromId, DhtRequest message) {
    this.io = io;
    this.socket = socket;
    this.from = from;
    this.fromId = fromId;
    this.message = message;
  }

  public PeerAddress from() {
    return from;
  }

  public Key32 fromId() {
    return fromId;
  }

  public DhtRequest message() {
    return message;
  }

  public long command() {
    return message.command();
  }

  public boolean internal() {
    return message.internal();
  }

  public Key32 target() {
    return message.target();
  }

  public Key32 token() {
    return message.token();
  }

  public byte[] value() {
    return message.value();
  }

  public boolean replied() {
    return replied.get();
  }

  /** The application reply of {@code Request.reply}: with a token and, if targeted, closer nodes. */
  public void reply(byte[] value) {
    reply(value, true, true);
  }

  public void reply(byte[] value, boolean token, boolean closerNodes) {
    send(RpcError.OK, value, token, closerNodes, from);
  }

  /** A reply sent to another address than the requester's ({@code Request.reply(value, {to})}). */
  public void replyTo(byte[] value, boolean token, boolean closerNodes, PeerAddress to) {
    send(RpcError.OK, value, token, closerNodes, to);
  }

  /**
   * Forwards this request, same tid, command and target, without a token and with {@code value},
   * to {@code to} from the socket it arrived on ({@code Request.relay}): the receiver's reply goes
   * straight to the original requester if the relayed value tells it to. Does not count as a reply.
   */
  public void relay(byte[] value, PeerAddress to) {
    relay(value, to, null);
  }

  /** {@link #relay} from another socket, e.g. a holepuncher's ({@code opts.socket} in JS); null for ours. */
  public void relay(byte[] value, PeerAddress to, DatagramTransport via) {
    io.relay(via == null ? socket : via, message, value, to);
  }

  /**
   * The general reply of {@code Request.reply(value, {to, socket, token, closerNodes})}: {@code to}
   * null for the requester, {@code via} null for the socket the request came in on.
   */
  public void reply(byte[] value, boolean token, boolean closerNodes, PeerAddress to, DatagramTransport via) {
    if (!replied.compareAndSet(false, true)) return;
    io.replyFromAnyThread(via == null ? socket : via, message, RpcError.OK, value, token, closerNodes,
        to == null ? from : to);
  }

  /** An error reply as {@code Request.error}: no token, closer nodes if targeted. */
  public void error(int code) {
    send(code, null, false, true, from);
  }

  /** The low-level form: {@code to} differs from {@code from} only for PING_NAT. */
  void send(long error, byte[] value, boolean token, boolean closerNodes, PeerAddress to) {
    if (!replied.compareAndSet(false, true)) return;
    io.replyFromAnyThread(socket, message, error, value, token, closerNodes, to);
  }
}
