package org.maiaos.mesh.hypercore.manifest;

import org.maiaos.mesh.hypercore.crypto.Key32;

/** A manifest prologue: the first {@code length} blocks are fixed to the tree hash {@code hash}. */
public record Prologue(Key32 hash, long length) {}
