/** Parameter layout of a {@link org.bn4j.BatchNorm} layer: keys, order, initial values, views into the flat vector. */
package org.bn4j.params;
