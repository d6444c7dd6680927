/**
 * What a model is: its immutable descriptor (shape, preprocessing, labels, threshold, checksum) and
 * the source its bytes are read from.
 */
@Export
@Version("1.1.0")
package com.factory.inspect.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
