/**
 * Decisions: the result of inspecting one frame, the reject gate that acts on a fail, and listeners
 * that receive every result.
 */
@Export
@Version("1.1.0")
package com.factory.inspect.api.decision;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
