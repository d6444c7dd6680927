/**
 * Image files as frames: PNG, JPEG and PGM reading, and {@code labels.csv} ground truth. Shared by
 * the folder camera and the model evaluation.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.camera.images;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
