package org.maiaos.mesh.hyperbee;

/**
 * One difference between two versions of a key: {@code left} is the entry in the newer (this)
 * version, {@code right} in the other; left only = added, right only = removed, both = changed.
 */
public record DiffEntry<K, V>(Entry<K, V> left, Entry<K, V> right) {}
