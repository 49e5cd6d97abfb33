/**
 * API. UDX (udx-native 1.21.3 / libudx) on Netty's datagram transport: a {@link
 * org.maiaos.mesh.hyperswarm.udx.UdxSocket} is one UDP socket that carries any number of
 * reliable {@link org.maiaos.mesh.hyperswarm.udx.UdxStream}s (each a Netty {@code Channel}) and
 * hands every other datagram to one pluggable handler (dht-rpc). {@link
 * org.maiaos.mesh.hyperswarm.udx.UdxPacket} is the wire record; sender, receiver and congestion
 * control are package-private. See docs/swarm.md, section UDX.
 */
package org.maiaos.mesh.hyperswarm.udx;
