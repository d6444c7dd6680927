package com.factory.inspect.itest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/** The test bundle's view of the framework. */
final class FrameworkBundles {

    private FrameworkBundles() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(FrameworkBundles.class).getBundleContext();
    }

    static Bundle bySymbolicName(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
