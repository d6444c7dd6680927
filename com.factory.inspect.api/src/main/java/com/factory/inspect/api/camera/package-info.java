/**
 * Cameras: a {@link com.factory.inspect.api.camera.FrameSource} service per camera delivers
 * {@link com.factory.inspect.api.camera.Frame}s to the one sink that opened it.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.api.camera;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
