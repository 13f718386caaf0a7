/**
 * Code that bn4j's own modules share and that is not part of its API: the one pool of worker threads that every
 * parallel CPU kernel of bn-layer and bn-conv runs on ({@link org.bn4j.internal.TaskPool}), and the walk over the
 * layers of a network configuration that the layer conversions use ({@link org.bn4j.internal.LayerReplacement}).
 * Public only because bn-conv is another module; it may change in any release.
 */
package org.bn4j.internal;
