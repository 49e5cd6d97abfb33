/**
 * Internal: the range, history and diff iterators, ported from hyperbee's iterators/*.js, over
 * the tree package's batches and nodes. Public types here are public only for
 * {@link org.maiaos.mesh.hyperbee.Hyperbee} in the parent package; no promise is made about them.
 */
package org.maiaos.mesh.hyperbee.iterate;
