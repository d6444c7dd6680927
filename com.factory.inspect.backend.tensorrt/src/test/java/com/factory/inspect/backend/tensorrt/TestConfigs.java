package com.factory.inspect.backend.tensorrt;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Component property type instances as Declarative Services would make them from a configuration. */
final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A {@link TensorRtBackend.Config} backed by {@code properties} (keys as in the configuration, e.g.
     * {@code batch.max}), defaults for the rest. Like DS, converts strings when a method is called, so an
     * invalid value throws there.
     */
    static TensorRtBackend.Config config(Map<String, ?> properties) {
        return (TensorRtBackend.Config) Proxy.newProxyInstance(TestConfigs.class.getClassLoader(),
                new Class<?>[] {TensorRtBackend.Config.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return TensorRtBackend.Config.class;
                        case "toString":
                            return "Config" + properties;
                        case "hashCode":
                            return properties.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    Object value = properties.get(method.getName().replace('_', '.'));
                    if (value == null) {
                        return method.getDefaultValue();
                    }
                    return convert(String.valueOf(value), method.getReturnType());
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String value, Class<?> type) {
        if (type == int.class) {
            return Integer.valueOf(value.trim());
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value.trim());
        }
        return value;
    }
}
