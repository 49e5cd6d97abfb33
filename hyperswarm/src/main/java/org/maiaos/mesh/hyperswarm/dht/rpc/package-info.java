/**
 * API*: dht-rpc 6.27.0 on the JVM: the UDP request/response layer ({@link RpcIo}), write tokens,
 * the Kademlia routing table, the iterative {@link Query}, NAT sampling, bootstrap and the switch
 * from ephemeral to persistent ({@link DhtRpc}). HyperDHT registers its commands through
 * {@link RequestHandler} and runs its queries with a commit phase; users are not offered this
 * package. All mutable state is owned by one {@link Scheduler} thread. UDP is reached only through
 * {@link DatagramTransport}, the seam where a UDX socket that shares the port plugs in later.
 */
package org.maiaos.mesh.hyperswarm.dht.rpc;
