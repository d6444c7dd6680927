package com.factory.inspect.camera.testing;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A bundle context that only records service registrations. */
public final class FakeBundleContext {
    /** One registered service. */
    public static final class Registration {
        public final Object service;
        public final Map<String, Object> properties = new ConcurrentHashMap<>();
        public volatile boolean unregistered;

        Registration(Object service, Dictionary<String, ?> properties) {
            this.service = service;
            set(properties);
        }

        void set(Dictionary<String, ?> dictionary) {
            properties.clear();
            for (String key : Collections.list(dictionary.keys())) {
                properties.put(key, dictionary.get(key));
            }
        }
    }

    public final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /** The context to pass to {@code activate}. */
    public BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class<?>) {
                        @SuppressWarnings("unchecked")
                        Registration r = new Registration(args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        return registration(r);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServiceRegistration<?> registration(Registration r) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setProperties" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, ?> d = (Dictionary<String, ?>) args[0];
                            r.set(d);
                            return null;
                        }
                        case "unregister" -> {
                            if (r.unregistered) {
                                throw new IllegalStateException("already unregistered");
                            }
                            r.unregistered = true;
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
