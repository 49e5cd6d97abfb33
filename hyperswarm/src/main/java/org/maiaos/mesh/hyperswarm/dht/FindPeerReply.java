package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/** A node that holds a route to the server: it can relay a handshake to it. */
public record FindPeerReply(PeerAddress from, PeerRecord peer) { }
