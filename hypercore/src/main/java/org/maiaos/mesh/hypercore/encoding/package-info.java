/**
 * API*: compact-encoding, the byte format of every Hypercore wire and disk message. Each codec is a
 * preencode/encode/decode triple over a {@link org.maiaos.mesh.hypercore.encoding.State}, so a
 * message is sized once and written without copies. Decoders check every length against the bytes
 * left before allocating.
 */
package org.maiaos.mesh.hypercore.encoding;
