/**
 * API*: UDX (udx-native 1.21.3 / libudx) on Netty's datagram transport: a {@link
 * org.maiaos.mesh.hyperswarm.udx.UdxSocket} is one UDP socket that carries any number of
 * reliable {@link org.maiaos.mesh.hyperswarm.udx.UdxStream}s (each a Netty {@code Channel}) and
 * hands every other datagram to one pluggable handler (dht-rpc). Its public types serve
 * {@code .dht} ({@link org.maiaos.mesh.hyperswarm.dht.UdxDatagramTransport}), module {@code node}
 * ({@link org.maiaos.mesh.hyperswarm.udx.UdxLimits}) and the benchmarks; users are not offered
 * them and no promise is made about them. The wire record ({@code UdxPacket}), sender, receiver
 * and the NewReno congestion control are package-private. See docs/swarm.md, section UDX.
 */
package org.maiaos.mesh.hyperswarm.udx;
