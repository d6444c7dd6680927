/**
 * The backend conformance suite: one set of checks that certifies any
 * {@link com.factory.inspect.api.inference.InferenceBackend} on the twin models carried here.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.conformance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
