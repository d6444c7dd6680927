/**
 * The model bundle format: the capability a model bundle provides and the descriptor file it
 * carries, shared by the extender, the packaging tool and the evaluation tool.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.models.descriptor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
