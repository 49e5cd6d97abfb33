/**
 * Internal. The mesh benchmark ({@code -Dbench=mesh}): region nodes against one central JS
 * reference sync server, over an emulated 50 ms link between Linux network namespaces. {@link
 * org.maiaos.mesh.bench.mesh.MeshBench} coordinates; {@code Netns} and {@code DelaySwitch} make
 * the network; {@code RegionAgent} is the load generator inside each region; {@code
 * PartitionStep} cuts ap off through the switch and measures the convergence after the heal.
 */
package org.maiaos.mesh.bench.mesh;
