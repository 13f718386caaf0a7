/**
 * {@link org.bn4j.math.cpu.CpuKernels}: fused, parallel batch-normalization kernels as Java loops over ND4J's native
 * CPU buffers (geometry, passes, per-thread tiles, worker pool); see docs/benchmarks.md.
 */
package org.bn4j.math.cpu;
