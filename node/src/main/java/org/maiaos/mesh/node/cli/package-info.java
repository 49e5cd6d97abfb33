/**
 * Internal: the {@code mesh} command line ({@code bin/mesh}, picocli; see {@code docs/cli.md}).
 * Users are offered the command, not these classes: {@link org.maiaos.mesh.node.cli.MeshCommand} is
 * public only as the main class {@code bin/mesh} runs and that tests and the benchmarks start, and
 * no promise is made about it as Java; every other type here is package-private.
 */
package org.maiaos.mesh.node.cli;
