/** Frame-to-tensor preprocessing as a model descriptor prescribes, shared by the loop and the tools. */
@Export
@Version("1.0.0")
package com.factory.inspect.gate.preprocess;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
