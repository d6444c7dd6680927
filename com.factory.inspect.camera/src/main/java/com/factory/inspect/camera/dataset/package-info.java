/**
 * Labelled data sets of the synthetic camera's images, written to disk for training and evaluation.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.camera.dataset;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
