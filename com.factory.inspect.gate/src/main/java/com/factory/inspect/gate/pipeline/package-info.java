/**
 * One frame through a model, as the live loop runs it: preprocessing exactly as the descriptor
 * prescribes, then inference into reused buffers. Shared by the loop, the evaluation and the
 * benchmark.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.gate.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
