package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** What {@link Persistent} needs of an incoming request: a seam so it is tested without sockets. */
interface StoreRequest {
  Key32 target();

  /** The write token, already checked by dht-rpc; null if none was sent. */
  Key32 token();

  byte[] value();

  PeerAddress from();

  /** {@code req.reply(value)}: with a token and closer nodes. */
  void reply(byte[] value);

  /** {@code req.reply(null, {token: false, closerNodes: false})}. */
  void replyBare();

  void error(int code);
}
