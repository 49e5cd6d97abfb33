/**
 * Internal: the Hyperbee 2 B-tree: the block codec over the generated protobuf types, tree nodes
 * with their key and child pointers, and the write engine (put, del, batches) ported from hyperbee's
 * index.js so that every block it writes is byte-identical to the JS reference. Public types here
 * are public only for the sibling packages of this module; no promise is made about them.
 */
package org.maiaos.mesh.hyperbee.tree;
