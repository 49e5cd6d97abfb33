/**
 * Internal. Tools for interop tests and benchmarks on 127.0.0.1 (the lossy UDP relay); public
 * only so the test suites and the bench module can share one copy. No promise, not for users.
 */
package org.maiaos.mesh.hyperswarm.loopback;
