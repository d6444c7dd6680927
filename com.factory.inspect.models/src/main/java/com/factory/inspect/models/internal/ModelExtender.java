package com.factory.inspect.models.internal;

import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.DescriptorException;
import com.factory.inspect.models.descriptor.DescriptorProperties;
import com.factory.inspect.models.descriptor.ModelBundleFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * The model extender: for every active bundle that provides {@code factory.inspect.model}
 * capabilities it reads each descriptor and registers a {@link ModelSource} service with the model
 * bundle's own context, so the service lives exactly as long as the model bundle is active.
 */
@Component(immediate = true, service = {})
public class ModelExtender {
    private static final Logger LOG = System.getLogger(ModelExtender.class.getName());

    private BundleTracker<List<ServiceRegistration<ModelSource>>> tracker;

    @Activate
    void activate(BundleContext context) {
        tracker = new BundleTracker<>(context, Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public List<ServiceRegistration<ModelSource>> addingBundle(Bundle bundle, BundleEvent event) {
                List<ServiceRegistration<ModelSource>> registrations = register(bundle);
                return registrations.isEmpty() ? null : registrations;
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event,
                    List<ServiceRegistration<ModelSource>> registrations) {
                // Models are fixed by the bundle's manifest: nothing changes while it stays active.
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event,
                    List<ServiceRegistration<ModelSource>> registrations) {
                for (ServiceRegistration<ModelSource> registration : registrations) {
                    try {
                        registration.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // The framework unregisters a stopping bundle's services itself.
                    }
                }
            }
        });
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private static List<ServiceRegistration<ModelSource>> register(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        BundleContext modelContext = bundle.getBundleContext();
        List<ServiceRegistration<ModelSource>> registrations = new ArrayList<>();
        if (revision == null || modelContext == null) {
            return registrations;
        }
        for (BundleCapability capability : revision.getDeclaredCapabilities(ModelBundleFormat.NAMESPACE)) {
            try {
                ModelDescriptor descriptor = readDescriptor(bundle, capability.getAttributes());
                BundleModelSource source = new BundleModelSource(bundle, descriptor);
                registrations.add(modelContext.registerService(ModelSource.class, source, properties(descriptor)));
                LOG.log(Level.INFO, "model {0} found in {1}", descriptor.coordinates(), source.origin());
            } catch (DescriptorException e) {
                LOG.log(Level.ERROR, "rejected a model of bundle {0} {1}: {2}", bundle.getBundleId(),
                        bundle.getSymbolicName(), e.getMessage());
            }
        }
        return registrations;
    }

    static ModelDescriptor readDescriptor(Bundle bundle, Map<String, Object> attributes)
            throws DescriptorException {
        String where = "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion();
        Object path = attributes.get(ModelBundleFormat.ATTRIBUTE_DESCRIPTOR);
        if (!(path instanceof String)) {
            throw new DescriptorException(where + ": capability " + ModelBundleFormat.NAMESPACE + " lacks the '"
                    + ModelBundleFormat.ATTRIBUTE_DESCRIPTOR + "' attribute");
        }
        URL entry = bundle.getEntry((String) path);
        if (entry == null) {
            throw new DescriptorException(where + ": descriptor " + path + " is not in the bundle");
        }
        ModelDescriptor descriptor;
        try (InputStream in = entry.openStream()) {
            descriptor = DescriptorProperties.read(in, where + " " + path);
        } catch (IOException e) {
            throw new DescriptorException(where + ": cannot read descriptor " + path + ": " + e.getMessage(), e);
        }
        Object name = attributes.get(ModelBundleFormat.ATTRIBUTE_NAME);
        Object version = attributes.get(ModelBundleFormat.ATTRIBUTE_VERSION);
        if (!descriptor.name().equals(name) || version == null
                || !ModelDescriptor.sameVersion(descriptor.version(), version.toString())) {
            throw new DescriptorException(where + ": capability says " + name + ":" + version + " but descriptor "
                    + path + " says " + descriptor.coordinates());
        }
        return descriptor;
    }

    private static Dictionary<String, Object> properties(ModelDescriptor descriptor) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ModelSource.PROPERTY_NAME, descriptor.name());
        p.put(ModelSource.PROPERTY_VERSION, descriptor.version());
        p.put(ModelSource.PROPERTY_FORMAT, descriptor.format().name());
        return p;
    }
}
