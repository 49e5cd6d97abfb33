/**
 * Internal: the range, history and diff iterators, ported from hyperbee's iterators/*.js, over
 * the tree package's batches and nodes.
 */
package org.maiaos.mesh.hyperbee.iterate;
