package org.maiaos.mesh.hyperswarm.dht.rpc;

import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * A routing-table entry: a persistent node's id and address, and the ticks of the last contact
 * ({@code dht-rpc/index.js _addNode}). The tick fields and list links belong to {@link DhtRpc}.
 */
final class Node {
  final Key32 id;
  final byte[] idBytes;
  final PeerAddress address;
  PeerAddress to;
  long sampled;
  long added;
  long pinged;
  long seen;
  int downHints;
  Node prev;
  Node next;
  boolean listed;

  Node(Key32 id, PeerAddress address, PeerAddress to) {
    this.id = id;
    this.idBytes = id.toByteArray();
    this.address = address;
    this.to = to;
  }

  public Key32 id() {
    return id;
  }

  public PeerAddress address() {
    return address;
  }

  @Override
  public String toString() {
    return address + "/" + id.hex().substring(0, 8);
  }
}
