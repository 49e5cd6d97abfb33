/**
 * API: HyperDHT 6.34.0 on the JVM, on top of our dht-rpc: {@link HyperDht} is the node (client
 * operations LOOKUP, ANNOUNCE/UNANNOUNCE, FIND_PEER, mutable and immutable put/get) and, once
 * persistent, the storer of commands 2–9 ({@link Persistent}). Everything else here is internal
 * and package-private. All state lives on the dht-rpc scheduler thread, and all time is read from
 * its clock. Connecting ({@code connect}/{@code listen} over UDX) comes later.
 */
package org.maiaos.mesh.hyperswarm.dht;
