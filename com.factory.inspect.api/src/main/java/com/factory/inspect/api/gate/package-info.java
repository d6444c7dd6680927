/** What the inspection gate reports about itself: status, statistics, cameras. */
@Export
@Version("1.1.0")
package com.factory.inspect.api.gate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
