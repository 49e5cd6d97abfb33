package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/**
 * A server that announced itself here (target = H(publicKey)): where to relay its handshakes (the
 * address its ANNOUNCE came from) and its record, which answers FIND_PEER ({@code lib/router.js}).
 */
record Route(PeerAddress relay, PeerRecord record) { }
