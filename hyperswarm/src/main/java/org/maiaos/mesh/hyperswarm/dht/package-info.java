/**
 * API: HyperDHT 6.34.0 on the JVM, on top of our dht-rpc: {@link HyperDht} is the node (client
 * operations LOOKUP, ANNOUNCE/UNANNOUNCE, FIND_PEER, mutable and immutable put/get, and
 * {@code listen}/{@code connect} by public key, a secret-stream over a UDX stream) and, once
 * persistent, the storer of commands 2–9 ({@link Persistent}). Public with it are what its methods
 * take and return ({@link HyperDhtServer}, {@link LookupReply}, {@link FindPeerReply},
 * {@link MutableValue}, {@link HyperDhtLimits}, the {@link DhtError} codes) and
 * {@link UdxDatagramTransport}, which lets the RPC and the UDX streams share one UDP port.
 * Everything else here is package-private. All state lives on the dht-rpc scheduler thread, and all
 * time is read from its clock.
 */
package org.maiaos.mesh.hyperswarm.dht;
