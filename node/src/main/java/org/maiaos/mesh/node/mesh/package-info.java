/**
 * API* (used by {@code node}'s CLI, metrics and demo and by the benchmarks; public types here
 * carry no promise to library users). The mesh of region
 * nodes: {@link org.maiaos.mesh.node.mesh.RegionNode} wires one node (its {@link
 * org.maiaos.mesh.node.mesh.CoreStore}, the {@link org.maiaos.mesh.node.mesh.RegionMesh} on every
 * swarm connection, {@link org.maiaos.mesh.node.mesh.RegionReads} for its sync server); the mesh
 * channel {@code maiaos-mesh/1} and its messages ({@code MeshHello}, {@code MeshChanged},
 * {@code MeshReadAhead}, {@code MeshBlocks}); reads of another region's bee that never wait on a
 * thread ({@code RegionRead}, {@code FetchOnMiss}) and the answers that make them two round trips
 * ({@code ReadAheadServer}); {@code Mirror}, {@code KnownRegions}, {@code TopicRefresh}; the
 * status snapshot and page. See {@code docs/mesh.md}.
 */
package org.maiaos.mesh.node.mesh;
