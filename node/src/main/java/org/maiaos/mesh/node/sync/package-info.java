/**
 * API: {@link org.maiaos.mesh.node.sync.SyncServer}, a cojson sync server that unmodified Jazz
 * clients use, its {@link org.maiaos.mesh.node.sync.SyncServerConfig}, {@link
 * org.maiaos.mesh.node.sync.HttpRoute} and {@link org.maiaos.mesh.node.sync.OtherRegions} (what a
 * region node gives it of the mesh). Everything else here is internal: the engine, the flows, the
 * storage worker, the WebSocket handlers. See {@code docs/sync-server.md}.
 */
package org.maiaos.mesh.node.sync;
