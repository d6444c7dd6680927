/** Model evaluation over image folders, as the live loop would decide. */
@Export
@Version("1.0.0")
package com.factory.inspect.evaluation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
