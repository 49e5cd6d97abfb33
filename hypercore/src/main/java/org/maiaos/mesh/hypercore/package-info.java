/**
 * API: {@link org.maiaos.mesh.hypercore.Hypercore}, a signed append-only log byte-compatible with
 * JS hypercore 11, its options, {@link org.maiaos.mesh.hypercore.Info}, and the one error type
 * {@link org.maiaos.mesh.hypercore.HypercoreException} with its {@link org.maiaos.mesh.hypercore.CoreError} codes.
 */
package org.maiaos.mesh.hypercore;
